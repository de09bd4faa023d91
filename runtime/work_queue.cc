#include "runtime/work_queue.h"

#include <thread>
#include <vector>

namespace my2pg {

void WorkQueue::Push(Task task, FailureHandler on_failure, bool first) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (first) {
    tasks_.push_front({std::move(task), std::move(on_failure)});
  } else {
    tasks_.push_back({std::move(task), std::move(on_failure)});
  }
  wake_.notify_one();
}

void WorkQueue::DropQueued() {
  std::lock_guard<std::mutex> lock(mutex_);
  tasks_.clear();
  wake_.notify_all();
}

void WorkQueue::Run(int threads) {
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back([this, t] { Work(t); });
  Work(0);
  for (auto& thread : pool) thread.join();
}

void WorkQueue::Work(int thread) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return !tasks_.empty() || running_ == 0; });
    if (tasks_.empty()) {
      wake_.notify_all();  // running_ == 0: everyone may leave
      return;
    }
    Entry entry = std::move(tasks_.front());
    tasks_.pop_front();
    ++running_;
    lock.unlock();
    try {
      entry.task(thread);
    } catch (...) {
      try {
        if (entry.on_failure) entry.on_failure(std::current_exception());
      } catch (...) {
        // The handler failed too: nothing more can be recorded.
      }
    }
    lock.lock();
    --running_;
    wake_.notify_all();
  }
}

}  // namespace my2pg
