// Resource control (resource_control.h).
#include "resource_control.h"

namespace ck {

void ResourceControl::grant_nothing(u32 kernel) {
  rights_[kernel].clear();
  for (u32 type = 0; type < kObjectTypes; ++type) quota_[kernel][type] = locked_[kernel][type] = 0;
  table_quota_[kernel] = table_pool_ / kKernelCapacity;
  tables_[kernel] = 0;
}

void ResourceControl::grant_everything(u32 kernel, PhysRange memory, PhysRange read_only) {
  grant_nothing(kernel);
  grantable_ = memory;
  read_only_ = read_only;
  rights_[kernel].set(memory.base, memory.size, Rights::ReadWrite);
  if (read_only.size != 0) rights_[kernel].set(read_only.base, read_only.size, Rights::Read);
  for (u16& q : quota_[kernel]) q = kUnlimited;
  table_quota_[kernel] = kUnlimitedTables;
}

bool ResourceControl::plan_rights(u32 kernel, PhysAddr base, u32 bytes, Rights rights) {
  scratch_ = rights_[kernel];
  return scratch_.set(base, bytes, rights);
}

}  // namespace ck
