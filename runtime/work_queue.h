// WorkQueue: tasks for a fixed set of threads, where a running task may add
// more (a table whose copy ends adds its index builds). A task's failure
// never escapes: whatever it throws is handed to that task's own failure
// handler (which fails its table) and the other tasks run on. Push() may be
// called from any thread, Run() from one.
#ifndef MY2PG_RUNTIME_WORK_QUEUE_H_
#define MY2PG_RUNTIME_WORK_QUEUE_H_

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>

namespace my2pg {

class WorkQueue {
 public:
  using Task = std::function<void(int thread)>;
  // Called on the failing task's thread with what it threw; what the handler
  // throws in turn is dropped (it has nowhere to go).
  using FailureHandler = std::function<void(std::exception_ptr)>;

  WorkQueue() = default;
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // Queues "task" last, or with "first" before every queued task (work on
  // the critical path, ahead of index builds already queued).
  void Push(Task task, FailureHandler on_failure, bool first = false);

  // Runs the tasks on "threads" threads (this one included; thread numbers
  // 0 .. threads-1) and returns when no task is left and none is running.
  // Never throws.
  void Run(int threads);

  // Queued tasks not yet started are dropped (an interrupted run); running
  // ones end on their own.
  void DropQueued();

 private:
  struct Entry {
    Task task;
    FailureHandler on_failure;
  };
  void Work(int thread);

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Entry> tasks_;  // guarded by mutex_
  int running_ = 0;          // guarded by mutex_
};

}  // namespace my2pg

#endif  // MY2PG_RUNTIME_WORK_QUEUE_H_
