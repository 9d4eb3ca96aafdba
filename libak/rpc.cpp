// Remote procedure calls on channels (rpc.h).
#include "rpc.h"

namespace ak {

int32_t RpcClient::call(uint32_t procedure, const void* arguments, uint32_t bytes, void* results,
                        uint32_t result_bytes) {
  if (bytes > kRpcBytes || result_bytes > kRpcBytes) return CK_E_ARGUMENT;
  RpcMessage m{};
  m.procedure = procedure;
  m.call = next_call_++;
  memcpy(m.data, arguments, bytes);
  if (const int32_t s = requests_.send(&m, sizeof m); s != CK_OK && s != CK_E_SIGNAL_QUEUE_FULL) return s;
  for (;;) {
    RpcMessage reply;
    uint32_t got = 0, signalled = 0;
    replies_.receive(&reply, &got, &signalled);
    if (got != sizeof reply || reply.call != m.call) continue;  // not this call's: a late or foreign reply
    memcpy(results, reply.data, result_bytes);
    return reply.status;
  }
}

bool RpcServer::serve_one() {
  RpcMessage m;
  uint32_t got = 0, signalled = 0;
  requests_.receive(&m, &got, &signalled);
  RpcMessage reply{};
  reply.procedure = m.procedure;
  reply.call = m.call;
  if (got != sizeof m || m.procedure >= kProcedures || procedures_[m.procedure] == nullptr) {
    reply.status = CK_E_OPERATION;
  } else {
    reply.status = procedures_[m.procedure](m.data, reply.data);
  }
  const int32_t s = replies_.send(&reply, sizeof reply);
  return s == CK_OK || s == CK_E_SIGNAL_QUEUE_FULL;
}

}  // namespace ak
