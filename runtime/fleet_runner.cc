#include "runtime/fleet_runner.h"

#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "common/error.h"
#include "adapters/mysql_session.h"
#include "runtime/interruption.h"

namespace my2pg {
namespace {

// Shared, zero-filled slots that survive fork().
class SharedSlots {
 public:
  explicit SharedSlots(size_t count) : bytes_(std::max<size_t>(1, count) * sizeof(ProgressSlot)) {
    void* memory = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) throw Error(ErrorCategory::kInternal, "mmap failed for progress slots");
    slots_ = static_cast<ProgressSlot*>(memory);
    for (size_t i = 0; i < count; ++i) new (&slots_[i]) ProgressSlot();
  }
  ~SharedSlots() { munmap(slots_, bytes_); }
  ProgressSlot* get() const { return slots_; }

 private:
  size_t bytes_;
  ProgressSlot* slots_;
};

std::string ReadAll(int fd) {
  std::string text;
  char buffer[65536];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof(buffer))) > 0) text.append(buffer, n);
  return text;
}

DatabaseReport FailedReport(const TenantSpec& tenant, const MigrationOptions& options, const std::string& error) {
  DatabaseReport report;
  report.database = tenant.database;
  report.target_database = options.target.ForDatabase(tenant.database).database;
  report.status = WorkStatus::kFailed;
  report.error = error;
  return report;
}

}  // namespace

DatabaseReport ReportOf(const TenantSpec& tenant, const MigrationOptions& migration, const WorkerResult& result) {
  DatabaseReport report;
  if (result.ok) {
    try {
      report = DatabaseReportFromJson(result.text);
    } catch (const std::exception& e) {
      report = FailedReport(tenant, migration, e.what());
    }
  } else {
    report = FailedReport(tenant, migration, result.text);
  }
  report.start_seconds = result.start_seconds;
  return report;
}

namespace {

// The worker: runs "work" for one database, writes what it returns to "fd",
// exits.
[[noreturn]] void RunWorker(const TenantSpec& tenant, const WorkerFunction& work, ProgressSlot* slot, int fd) {
  // "my2pg:<db>" in ps/top, to tell the workers apart (15 bytes at most).
  std::string name = "my2pg:" + tenant.database;
  prctl(PR_SET_NAME, name.substr(0, 15).c_str(), 0, 0, 0);
  prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);  // no orphaned workers if the parent dies
  InstallInterruptHandlers(false);  // a second SIGINT is the parent's to act on
  std::string text;
  try {
    text = work(tenant, slot);
  } catch (...) {
    _exit(1);  // no report: the parent says the worker failed
  }
  size_t written = 0;
  while (written < text.size()) {
    ssize_t n = write(fd, text.data() + written, text.size() - written);
    if (n <= 0) break;
    written += n;
  }
  close(fd);
  _exit(0);
}

std::string DescribeExit(int status) {
  if (WIFSIGNALED(status)) {
    int signal = WTERMSIG(status);
    return "worker killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
  }
  return "worker exited with code " + std::to_string(WEXITSTATUS(status)) + " without a report";
}

// The default feed: every tenant, in order, once.
class InOrderFeed : public TenantFeed {
 public:
  explicit InOrderFeed(size_t count) : count_(count) {}
  std::optional<Item> Next() override {
    if (next_ >= count_) return std::nullopt;
    return Item{next_++, false};
  }
  bool Drained() override { return next_ >= count_; }
  void Ended(size_t, const WorkerResult&) override {}

 private:
  size_t count_;
  size_t next_ = 0;
};

}  // namespace

std::vector<WorkerResult> RunWorkerPool(const std::vector<TenantSpec>& tenants, const FleetOptions& fleet,
                                        const WorkerFunction& work) {
  SharedSlots slots(tenants.size());
  std::vector<WorkerResult> reports(tenants.size());
  std::vector<bool> started(tenants.size(), false);
  InOrderFeed in_order(tenants.size());
  TenantFeed& feed = fleet.feed != nullptr ? *fleet.feed : in_order;
  const auto fleet_start = std::chrono::steady_clock::now();
  auto since_start = [fleet_start] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - fleet_start).count();
  };
  // The tenants never started: interrupted first, or run by another process.
  auto settle_unstarted = [&] {
    for (size_t i = 0; i < tenants.size(); ++i) {
      if (started[i]) continue;
      if (fleet.feed != nullptr) {
        reports[i].skipped = true;
      } else {
        reports[i].interrupted = true;
      }
    }
  };
  auto spec_of = [&](const TenantFeed::Item& item) {
    TenantSpec spec = tenants.at(item.tenant);
    spec.resume = spec.resume || item.resume;
    spec.claim_epoch = item.claim_epoch;
    started[item.tenant] = true;
    return spec;
  };
  if (fleet.jobs <= 0) {
    while (!Interrupted()) {
      std::optional<TenantFeed::Item> item = feed.Next();
      if (!item) {
        if (feed.Drained()) break;
        std::this_thread::sleep_for(std::chrono::seconds(1));
        continue;
      }
      double start = since_start();
      WorkerResult& result = reports[item->tenant];
      result.text = work(spec_of(*item), &slots.get()[item->tenant]);
      result.ok = true;
      result.start_seconds = start;
      feed.Ended(item->tenant, result);
    }
    settle_unstarted();
    return reports;
  }

  struct Worker {
    size_t tenant;
    int fd;  // read end of the report pipe
    std::string output;
    double start_seconds;
    bool stopped = false;  // sent SIGTERM: its claim was lost
  };
  std::map<pid_t, Worker> running;
  auto last_progress = std::chrono::steady_clock::now();
  std::fflush(nullptr);  // nothing buffered may be written twice by the children
  bool forwarded = false;  // the interrupting signal, to the running workers
  bool drained = false;
  while ((!drained && !Interrupted()) || !running.empty()) {
    if (Interrupted() && !forwarded) {
      for (const auto& [pid, worker] : running) kill(pid, InterruptSignal());
      forwarded = true;
    }
    for (auto& [pid, worker] : running) {
      if (!worker.stopped && !feed.KeepRunning(worker.tenant)) {
        kill(pid, SIGTERM);
        worker.stopped = true;
      }
    }
    while (!drained && static_cast<int>(running.size()) < fleet.jobs && !Interrupted()) {
      std::optional<TenantFeed::Item> item = feed.Next();
      if (!item) {
        // Nothing now; once nothing is running here either, the feed says
        // whether anything may still come.
        if (running.empty()) drained = feed.Drained();
        break;
      }
      TenantSpec spec = spec_of(*item);
      int pipe_fds[2];
      if (pipe(pipe_fds) != 0) throw Error(ErrorCategory::kInternal, "pipe failed");
      pid_t pid = fork();
      if (pid < 0) throw Error(ErrorCategory::kInternal, "fork failed");
      if (pid == 0) {
        close(pipe_fds[0]);
        // The read ends of the running workers' pipes are the parent's: a
        // worker keeps only its own write end.
        for (const auto& [other, worker] : running) close(worker.fd);
        RunWorker(spec, work, &slots.get()[item->tenant], pipe_fds[1]);
      }
      close(pipe_fds[1]);
      running[pid] = {item->tenant, pipe_fds[0], "", since_start()};
    }
    // Read what the workers wrote so far: a report larger than a pipe buffer
    // must not block its worker.
    std::vector<pollfd> fds;
    for (const auto& [pid, worker] : running) fds.push_back({worker.fd, POLLIN, 0});
    if (poll(fds.data(), fds.size(), 20) > 0) {
      for (const pollfd& fd : fds) {
        if ((fd.revents & (POLLIN | POLLHUP)) == 0) continue;
        for (auto& [pid, worker] : running) {
          if (worker.fd != fd.fd) continue;
          char buffer[65536];
          ssize_t n = read(fd.fd, buffer, sizeof(buffer));
          if (n > 0) worker.output.append(buffer, n);
        }
      }
    }
    int status = 0;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid > 0) {
      auto it = running.find(pid);
      if (it != running.end()) {
        Worker worker = std::move(it->second);
        running.erase(it);
        worker.output += ReadAll(worker.fd);  // the rest: the worker has exited
        close(worker.fd);
        WorkerResult& result = reports[worker.tenant];
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && !worker.output.empty()) {
          result.ok = true;
          result.text = std::move(worker.output);
        } else {
          result.text = DescribeExit(status);
          slots.get()[worker.tenant].SetPhase(Phase::kFailed);
        }
        result.start_seconds = worker.start_seconds;
        feed.Ended(worker.tenant, result);
      }
      continue;
    }
    if (fleet.on_progress && std::chrono::steady_clock::now() - last_progress > std::chrono::milliseconds(500)) {
      fleet.on_progress(tenants, slots.get());
      last_progress = std::chrono::steady_clock::now();
    }
  }
  settle_unstarted();
  if (fleet.on_progress) fleet.on_progress(tenants, slots.get());
  return reports;
}

std::vector<DatabaseReport> RunFleet(const std::vector<TenantSpec>& tenants, const MigrationOptions& migration,
                                     const FleetOptions& fleet) {
  std::vector<WorkerResult> results =
      RunWorkerPool(tenants, fleet, [&migration](const TenantSpec& tenant, ProgressSlot* slot) {
        MigrationOptions options = migration;
        options.progress = slot;
        if (tenant.resume) {  // an earlier attempt's work is carried on, never dropped
          options.resume = true;
          options.replace = false;
        }
        options.timezone = tenant.timezone;
        options.claim.epoch = tenant.claim_epoch;
        DatabaseReport report;
        try {
          report = MigrateDatabase(tenant.database, options);
        } catch (const std::exception& e) {
          report = FailedReport(tenant, options, std::string("internal error: ") + e.what());
        }
        return DatabaseReportJson(report);
      });
  std::vector<DatabaseReport> reports;
  for (size_t i = 0; i < tenants.size(); ++i) {
    if (results[i].skipped) continue;
    if (results[i].interrupted) {
      reports.push_back(FailedReport(tenants[i], migration, "not started: the run was interrupted"));
      reports.back().status = WorkStatus::kInterrupted;
      continue;
    }
    reports.push_back(ReportOf(tenants[i], migration, results[i]));
  }
  return reports;
}

}  // namespace my2pg
