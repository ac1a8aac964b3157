// Shared by the transformers: the wrapped system's handlers record effects
// in their own Effects; the wrapper forwards outputs and timers unchanged
// and wraps each message on its way out.
#pragma once

#include "simulator/system.hpp"
#include "simulator/workload.hpp"

namespace verdict {

template <class Inner, class Outer, class WrapMsg>
void forward_effects(const Effects<Inner>& inner_fx, Effects<Outer>& fx, WrapMsg&& wrap) {
  for (const auto& [to, msg] : inner_fx.sends()) fx.send(to, wrap(msg));
  for (const auto& out : inner_fx.outputs()) fx.output(out);
  for (const auto& change : inner_fx.timer_changes()) {
    if (change.armed)
      fx.set_timer(change.timer);
    else
      fx.cancel_timer(change.timer);
  }
}

}  // namespace verdict
