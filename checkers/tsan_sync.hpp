// Happens-before annotations for ThreadSanitizer around TBB parallel work.
// Debian's TBB is not built with TSan, so TSan cannot see that the thread
// which starts a parallel_for (or hands a work item to a feeder) happens
// before the threads that run it, nor that the bodies happen before the end
// of the wait. These two calls state those edges explicitly, on a dummy
// address per edge; without -fsanitize=thread they compile to nothing. This
// keeps the TSan suppressions (.ci/tsan.supp) limited to TBB's own frames.
#pragma once

#if defined(__SANITIZE_THREAD__)
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#endif

namespace verdict {

// Everything this thread did so far happens before a later tsan_acquire(edge).
inline void tsan_release([[maybe_unused]] const void* edge) {
#if defined(__SANITIZE_THREAD__)
  __tsan_release(const_cast<void*>(edge));
#endif
}

inline void tsan_acquire([[maybe_unused]] const void* edge) {
#if defined(__SANITIZE_THREAD__)
  __tsan_acquire(const_cast<void*>(edge));
#endif
}

// Acquires `edge` for a scope and releases it at the end: for work items that
// TBB hands from one stage of a pipeline to the next.
class TsanScope {
 public:
  explicit TsanScope(const void* edge) : edge_(edge) { tsan_acquire(edge_); }
  ~TsanScope() { tsan_release(edge_); }
  TsanScope(const TsanScope&) = delete;
  TsanScope& operator=(const TsanScope&) = delete;

 private:
  const void* edge_;
};

}  // namespace verdict
