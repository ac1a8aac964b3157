// base_state: the wrapped system's view of a transformed node's state,
// however many transformers deep, so that one invariant serves every
// transformer chain: base_state<LockServ, SeqNum<LockServ>>(s) is s.inner.
#pragma once

#include <type_traits>

namespace verdict {

// The wrapped system's view of a transformed node's state, however many
// transformers deep: base_state<LockServ, SeqNum<LockServ>>(s) is s.inner.
template <class Base, class Sys>
const typename Base::State& base_state(const typename Sys::State& s) {
  if constexpr (std::is_same_v<Base, Sys>)
    return s;
  else
    return base_state<Base, typename Sys::Inner>(s.inner);
}

}  // namespace verdict
