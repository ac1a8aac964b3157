// Shared by the transformers: the wrapped system's handlers record effects
// in their own Effects; the wrapper forwards outputs unchanged, wraps each
// message on its way out, and passes timers on as they are or, when its
// Timer type differs from the wrapped system's, wrapped too.
#pragma once

#include <utility>

#include "simulator/system.hpp"
#include "simulator/workload.hpp"

namespace verdict {

// wrap(to, msg) -> the Outer message sent in its place.
template <class Inner, class Outer, class WrapMsg, class WrapTimer>
void forward_effects(const Effects<Inner>& inner_fx, Effects<Outer>& fx, WrapMsg&& wrap,
                     WrapTimer&& wrap_timer) {
  for (const auto& [to, msg] : inner_fx.sends()) fx.send(to, wrap(to, msg));
  for (const auto& out : inner_fx.outputs()) fx.output(out);
  for (const auto& change : inner_fx.timer_changes()) {
    if (change.armed)
      fx.set_timer(wrap_timer(change.timer));
    else
      fx.cancel_timer(wrap_timer(change.timer));
  }
}

template <class Inner, class Outer, class WrapMsg>
void forward_effects(const Effects<Inner>& inner_fx, Effects<Outer>& fx, WrapMsg&& wrap) {
  forward_effects(inner_fx, fx, std::forward<WrapMsg>(wrap),
                  [](const typename Inner::Timer& t) { return t; });
}

}  // namespace verdict
