// Unit tests of the runtime's pieces that need no server: the work queue,
// key-range bounds, statuses.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime/copy_tasks.h"
#include "runtime/work_queue.h"
#include "runtime/work_status.h"

namespace my2pg {
namespace {

TEST(WorkQueue, AFailureGoesToItsOwnHandlerAndTheOthersRunOn) {
  WorkQueue queue;
  std::atomic<int> ran{0};
  std::mutex mutex;
  std::vector<std::string> failures;
  for (int i = 0; i < 20; ++i) {
    queue.Push(
        [i, &ran](int) {
          if (i == 7) throw std::runtime_error("task 7 broke");
          if (i == 11) throw 42;  // not even an exception
          ++ran;
        },
        [i, &mutex, &failures](std::exception_ptr e) {
          std::lock_guard<std::mutex> lock(mutex);
          try {
            std::rethrow_exception(e);
          } catch (const std::exception& x) {
            failures.push_back(std::to_string(i) + ": " + x.what());
          } catch (...) {
            failures.push_back(std::to_string(i) + ": other");
          }
        });
  }
  queue.Run(4);
  EXPECT_EQ(ran.load(), 18);
  std::sort(failures.begin(), failures.end());
  EXPECT_EQ(failures, (std::vector<std::string>{"11: other", "7: task 7 broke"}));
}

TEST(WorkQueue, TasksMayQueueMoreAndAThrowingHandlerIsContained) {
  WorkQueue queue;
  std::atomic<int> ran{0};
  queue.Push(
      [&](int) {
        for (int i = 0; i < 5; ++i) queue.Push([&ran](int) { ++ran; }, nullptr);
        throw std::runtime_error("x");
      },
      [](std::exception_ptr) { throw std::runtime_error("the handler fails too"); });
  queue.Run(3);
  EXPECT_EQ(ran.load(), 5);
}

TEST(ChunkBounds, SplitCoversEveryKeyOnce) {
  std::vector<ChunkBounds> ranges = SplitKeyRange(3, 1, 100, 4);
  ASSERT_EQ(ranges.size(), 4u);
  EXPECT_EQ(ranges[0], (ChunkBounds{3, 0, 4, std::nullopt, 26}));
  EXPECT_EQ(ranges[1], (ChunkBounds{3, 1, 4, 26, 51}));
  EXPECT_EQ(ranges[2], (ChunkBounds{3, 2, 4, 51, 76}));
  EXPECT_EQ(ranges[3], (ChunkBounds{3, 3, 4, 76, std::nullopt}));
  EXPECT_EQ(BoundsCondition("\"id\"", ranges[1]), "\"id\" >= 26 AND \"id\" < 51");
  EXPECT_EQ(BoundsCondition("\"id\"", ranges[3]), "\"id\" >= 76");
  EXPECT_EQ(SplitKeyRange(0, 5, 5, 4), (std::vector<ChunkBounds>{{0, 0, 1, std::nullopt, std::nullopt}}));
  EXPECT_EQ(BoundsCondition("k", SplitKeyRange(0, 5, 5, 4)[0]), "");
  std::vector<ChunkBounds> wide = SplitKeyRange(0, INT64_MIN, INT64_MAX, 2);
  EXPECT_EQ(wide[0].upper, 0);
  EXPECT_EQ(wide[1].lower, 0);
}

TEST(WorkStatus, TextRoundTrips) {
  for (WorkStatus status : {WorkStatus::kPending, WorkStatus::kRunning, WorkStatus::kDone, WorkStatus::kFailed,
                            WorkStatus::kInterrupted}) {
    EXPECT_EQ(ParseWorkStatus(ToString(status)), status);
  }
  EXPECT_STREQ(ToString(WorkStatus::kInterrupted), "interrupted");
  EXPECT_THROW(ParseWorkStatus("ok"), std::exception);
}

}  // namespace
}  // namespace my2pg
