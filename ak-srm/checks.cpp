// Invariant checks on request (checks.h; issue 15).
#include "checks.h"

#include "ak_layout.h"
#include "check_mailbox.h"
#include "kernels.h"

namespace srm {

namespace {

namespace mb = ck::check_mailbox;

uint32_t g_answered, g_failed;
bool g_seen_fuzzer;

// A running kernel's mailbox, or null when it has none.
mb::Mailbox* mailbox_of(const Kernel& k) {
  if (k.state != State::Running) return nullptr;
  const uintptr_t info = reinterpret_cast<uintptr_t>(&boot_info_of(k));
  auto* box = reinterpret_cast<mb::Mailbox*>(info + mb::kMailboxOffset);
  return box->magic == mb::kMagic ? box : nullptr;
}

void answer(Kernel& k, mb::Mailbox& box, uint32_t progress, uint32_t victims) {
  const uint32_t request = box.request;
  const ak::CallResult walk = ak::query(CK_QUERY_DIGEST);
  g_answered += 1;
  box.status = walk.status;
  box.digest = walk.value;
  box.victim_progress = progress;
  box.victims = victims;
  box.done = request;
  if (walk.status != CK_OK) {
    g_failed += 1;
    say("SRM: INVARIANT CHECK FAILED (status {}) after batch {} of kernel #{} '{}'\n", walk.status, request, k.number,
        k.image.name);
  }
}

}  // namespace

void answer_checks() {
  uint32_t progress = 0, victims = 0, fuzzers = 0;
  for (uint32_t i = 0; i < kMaxKernels; ++i) {
    const mb::Mailbox* box = mailbox_of(kernel_slot(i));
    if (box == nullptr) continue;
    if (box->role == mb::Role::Victim) {
      progress += box->progress;
      victims += 1;
    }
    if (box->role == mb::Role::Fuzzer && boot_info_of(kernel_slot(i)).exit_code == ck::ak_layout::kNotExited)
      fuzzers += 1;
  }
  g_seen_fuzzer = g_seen_fuzzer || fuzzers != 0;
  for (uint32_t i = 0; i < kMaxKernels; ++i) {
    Kernel& k = kernel_slot(i);
    mb::Mailbox* box = mailbox_of(k);
    if (box == nullptr) continue;
    if (box->role == mb::Role::Fuzzer && box->request != box->done) answer(k, *box, progress, victims);
    if (box->role == mb::Role::Victim && g_seen_fuzzer && fuzzers == 0) box->stop = 1;
  }
}

uint32_t checks_answered() { return g_answered; }
uint32_t checks_failed() { return g_failed; }

}  // namespace srm
