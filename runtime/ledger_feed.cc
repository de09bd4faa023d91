#include "runtime/ledger_feed.h"

#include <iostream>

#include "common/error.h"

namespace my2pg {
namespace {

using Clock = std::chrono::steady_clock;

// How often a feed with nothing to hand out asks the ledger again.
constexpr auto kPollInterval = std::chrono::seconds(1);

}  // namespace

LedgerFeed::LedgerFeed(Ledger* ledger, std::vector<TenantSpec> tenants, bool retry_failed,
                       std::function<LedgerOutcome(size_t, const WorkerResult&)> outcome_of)
    : ledger_(ledger),
      tenants_(std::move(tenants)),
      retry_failed_(retry_failed),
      outcome_of_(std::move(outcome_of)) {
  for (size_t i = 0; i < tenants_.size(); ++i) index_of_[tenants_[i].database] = i;
  heartbeat_ = std::thread([this] { Heartbeat(); });
}

LedgerFeed::~LedgerFeed() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  heartbeat_.join();
}

std::optional<TenantFeed::Item> LedgerFeed::Next() {
  if (Clock::now() - asked_ < kPollInterval) return std::nullopt;
  std::optional<LedgerClaim> claim = ledger_->ClaimNext(retry_failed_);
  if (!claim) {
    asked_ = Clock::now();
    return std::nullopt;
  }
  auto found = index_of_.find(claim->database);
  if (found == index_of_.end()) {
    // Added to the run by a process that joined after this one: not ours to
    // run (we hold no slot for it); handed back at once.
    ledger_->Finish(*claim, WorkStatus::kInterrupted, "", 0, 0, 0);
    asked_ = Clock::now();
    return std::nullopt;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  Held& held = held_[found->second];
  held.claim = *claim;
  held.renewed = Clock::now();
  // A database claimed before carries on what that attempt left.
  return Item{found->second, claim->attempt > 1, claim->epoch};
}

bool LedgerFeed::Drained() {
  if (drained_) return true;
  // Its own pace: Next() asks as often, and must not starve this question.
  if (Clock::now() - drained_asked_ < kPollInterval) return false;
  drained_ = !ledger_->Unsettled();
  drained_asked_ = Clock::now();
  return drained_;
}

void LedgerFeed::Ended(size_t tenant, const WorkerResult& result) {
  Held held;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = held_.find(tenant);
    if (found == held_.end()) return;
    held = found->second;
    held_.erase(found);  // no renewal any more
  }
  if (held.lost) return;  // said when it was lost
  LedgerOutcome outcome = outcome_of_(tenant, result);
  bool recorded = false;
  try {
    recorded = ledger_->Finish(held.claim, outcome.status, outcome.error, outcome.rows_read, outcome.rows_written,
                               outcome.rows_rejected);
  } catch (const Error& e) {
    std::lock_guard<std::mutex> lock(mutex_);
    lost_.push_back(tenants_[tenant].database + ": its end could not be recorded in the ledger (" + e.what() +
                    "); its lease will lapse and another process will resume it");
    return;
  }
  if (!recorded) {
    std::lock_guard<std::mutex> lock(mutex_);
    lost_.push_back(tenants_[tenant].database + ": claim " + std::to_string(held.claim.epoch) +
                    " was lost (its lease lapsed and another process claimed it): its end is not recorded");
    std::cerr << "my2pg: " << lost_.back() << "\n";  // at once, as Lose says it
  }
}

bool LedgerFeed::KeepRunning(size_t tenant) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = held_.find(tenant);
  return found == held_.end() || !found->second.lost;
}

void LedgerFeed::NoteProgress(const ProgressSlot* slots) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& [tenant, held] : held_) {
    held.rows_read = slots[tenant].rows_read.load(std::memory_order_relaxed);
    held.rows_estimate = slots[tenant].rows_estimate.load(std::memory_order_relaxed);
  }
}

std::vector<std::string> LedgerFeed::lost() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return lost_;
}

void LedgerFeed::Lose(size_t tenant, const std::string& why) {
  Held& held = held_.at(tenant);
  held.lost = true;
  lost_.push_back(tenants_[tenant].database + ": claim " + std::to_string(held.claim.epoch) + " " + why +
                  ": its worker was stopped and its end is not recorded");
  std::cerr << "my2pg: " << lost_.back() << "\n";
}

void LedgerFeed::Heartbeat() {
  // A few renewals per lease, so that one slow or failed renewal does not
  // lose it.
  const auto period = std::chrono::milliseconds(std::max(250, ledger_->lease_seconds() * 1000 / 4));
  const auto lease = std::chrono::seconds(ledger_->lease_seconds());
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, period, [this] { return stopping_; })) {
    std::map<size_t, Held> held = held_;
    lock.unlock();
    for (const auto& [tenant, claim] : held) {
      if (claim.lost) continue;
      bool kept = true;
      std::string failure;
      try {
        kept = ledger_->Renew(claim.claim, claim.rows_read, claim.rows_estimate);
      } catch (const Error& e) {
        failure = e.what();
      }
      std::lock_guard<std::mutex> relock(mutex_);
      auto found = held_.find(tenant);
      if (found == held_.end() || found->second.claim.epoch != claim.claim.epoch) continue;  // ended meanwhile
      if (!kept) {
        Lose(tenant, "was lost (its lease lapsed and another process claimed it)");
      } else if (failure.empty()) {
        found->second.renewed = Clock::now();
      } else if (Clock::now() - found->second.renewed > lease) {
        // Others may take it over now: stop before they load it too.
        Lose(tenant, "could not be renewed for a whole lease (" + failure + ")");
      }
    }
    lock.lock();
  }
}

}  // namespace my2pg
