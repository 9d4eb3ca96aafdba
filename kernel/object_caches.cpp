// The object caches (object_caches.h): set-up, the first kernel, counts.
#include "object_caches.h"

#include "clock.h"

namespace ck {

ObjectCaches::ObjectCaches()
    : map_(tables_),
      scheduler_(tables_),
      messaging_(tables_, map_, scheduler_, devices_),
      writeback_(messaging_),
      replacement_(tables_, resources_, map_, writeback_, scheduler_, messaging_),
      forwarding_(tables_, scheduler_, messaging_, writeback_, replacement_) {}

void ObjectCaches::init() {
  tables_.reset();
  map_.reset();
  scheduler_.reset(arch::clock_ns(), clock::ticks());
  replacement_.reset();
  writeback_.reset();
  resources_.set_table_pool(arch::page_table_bytes_free());
}

void ObjectCaches::clear() {
  for (u32 t = 0; t < kThreadCapacity; ++t)
    if (tables_.threads().loaded(t)) {
      scheduler_.retire(tables_.thread(t));
      tables_.thread(t).save_contexts();
    }
  for (u32 s = 0; s < kSpaceCapacity; ++s)
    if (tables_.spaces().loaded(s)) arch::destroy_page_tables(tables_.root_of(s));
  init();
}

u32 ObjectCaches::create_first_kernel(const FirstKernelSetup& setup) {
  const u32 slot = tables_.add_first_kernel(setup.handler, setup.handler_no_fpu);
  resources_.grant_everything(slot, setup.memory, setup.read_only);
  resources_.lock(slot, CK_OBJECT_KERNEL);
  scheduler_.admit_kernel(slot, 100, kMaxPriority);
  writeback_.set_first(slot);
  writeback_.attach(slot, tables_.kernels().id_of(slot).raw(), 0, setup.ring, setup.ring_bytes, false);
  return slot;
}

u32 ObjectCaches::loaded(ck_object_type type) const {
  switch (type) {
    case CK_OBJECT_KERNEL:
      return tables_.kernels().loaded_count();
    case CK_OBJECT_SPACE:
      return tables_.spaces().loaded_count();
    case CK_OBJECT_THREAD:
      return tables_.threads().loaded_count();
    case CK_OBJECT_MAPPING:
      return map_.used();
  }
  return 0;
}

}  // namespace ck
