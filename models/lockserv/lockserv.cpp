#include "models/lockserv/lockserv.hpp"

namespace verdict::lockserv {

void LockServ::on_input(NodeId n, State& s, const Input& in, Effects<LockServ>& fx) const {
  if (n == kServer) return;  // inputs go to agents
  switch (in) {
    case Input::lock:
      fx.send(kServer, Msg::lock);
      break;
    case Input::unlock:
      if (s.held) {
        s.held = false;
        fx.send(kServer, Msg::unlock);
      }
      fx.output(Output::unlocked);
      break;
  }
}

void LockServ::on_message(NodeId n, State& s, NodeId from, const Msg& m,
                          Effects<LockServ>& fx) const {
  if (n == kServer) {
    switch (m) {
      case Msg::lock:
        if (s.queue.empty() || bug == Bug::grant_when_held) fx.send(from, Msg::locked);
        if (s.queue.empty() || bug != Bug::forget_waiter) s.queue.push_back(from);
        break;
      case Msg::unlock:
        if (!s.queue.empty()) {
          s.queue.erase(s.queue.begin());
          if (!s.queue.empty()) fx.send(s.queue.front(), Msg::locked);
        }
        break;
      case Msg::locked:
        break;
    }
    return;
  }
  if (m == Msg::locked) {
    s.held = true;
    fx.output(Output::locked);
  }
}

}  // namespace verdict::lockserv
