// Remote procedure calls on channels (paper §2.2: "an object-oriented RPC facility
// implemented on top of the memory-based messaging as a user-space communication
// library"): a request channel and a reply channel between a client and a server, each
// message a procedure number, a call number and up to kRpcBytes of marshaled arguments
// or results. The typed stubs marshal trivially copyable structures by copy.
#pragma once

#include <stdint.h>
#include <string.h>

#include "channel.h"

namespace ak {

inline constexpr uint32_t kRpcBytes = kMessageBytes - 12;

struct RpcMessage {
  uint32_t procedure;
  uint32_t call;   // matches a reply to its request
  int32_t status;  // replies: CK_OK, or why the call failed (CK_E_OPERATION: no such procedure)
  uint8_t data[kRpcBytes];
};
static_assert(sizeof(RpcMessage) == kMessageBytes, "one RPC message per channel slot");

class RpcClient {
 public:
  // `requests` and `replies`: the two channel pages in the client's space (requests
  // written here, replies read; this thread the replies page's signal thread).
  RpcClient(uint32_t requests, uint32_t replies) : requests_(requests), replies_(replies) {}
  // Sends the call and waits for its reply: the reply's status, its data in `results`.
  int32_t call(uint32_t procedure, const void* arguments, uint32_t bytes, void* results, uint32_t result_bytes);

  // The typed stub: Arguments and Results are trivially copyable.
  template <typename Arguments, typename Results>
  int32_t call(uint32_t procedure, const Arguments& arguments, Results* results) {
    static_assert(sizeof(Arguments) <= kRpcBytes && sizeof(Results) <= kRpcBytes, "fits one message");
    return call(procedure, &arguments, sizeof arguments, results, sizeof *results);
  }

 private:
  ChannelSender requests_;
  ChannelReceiver replies_;
  uint32_t next_call_ = 1;
};

class RpcServer {
 public:
  // A procedure: its arguments in, its results out (at most kRpcBytes); its status.
  using Procedure = int32_t (*)(const uint8_t* arguments, uint8_t* results);

  RpcServer(uint32_t requests, uint32_t replies) : requests_(requests), replies_(replies) {}
  // `procedure` answers calls of number `number` (below kProcedures).
  static constexpr uint32_t kProcedures = 16;
  void provide(uint32_t number, Procedure procedure) {
    if (number < kProcedures) procedures_[number] = procedure;
  }
  // Answers one call, waiting for it; false if its reply could not be sent.
  bool serve_one();

  // The typed stub for a procedure `f(const Arguments&, Results*)`.
  template <typename Arguments, typename Results, int32_t (*F)(const Arguments&, Results*)>
  static int32_t stub(const uint8_t* arguments, uint8_t* results) {
    Arguments a;
    Results r{};
    memcpy(&a, arguments, sizeof a);
    const int32_t status = F(a, &r);
    memcpy(results, &r, sizeof r);
    return status;
  }

 private:
  ChannelReceiver requests_;
  ChannelSender replies_;
  Procedure procedures_[kProcedures] = {};
};

}  // namespace ak
