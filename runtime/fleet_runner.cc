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

}  // namespace

std::vector<WorkerResult> RunWorkerPool(const std::vector<TenantSpec>& tenants, const FleetOptions& fleet,
                                        const WorkerFunction& work) {
  SharedSlots slots(tenants.size());
  std::vector<WorkerResult> reports(tenants.size());
  const auto fleet_start = std::chrono::steady_clock::now();
  auto since_start = [fleet_start] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - fleet_start).count();
  };
  if (fleet.jobs <= 0) {
    for (size_t i = 0; i < tenants.size(); ++i) {
      if (Interrupted()) {
        reports[i].interrupted = true;
        continue;
      }
      double start = since_start();
      reports[i].text = work(tenants[i], &slots.get()[i]);
      reports[i].ok = true;
      reports[i].start_seconds = start;
    }
    return reports;
  }

  struct Worker {
    size_t tenant;
    int fd;  // read end of the report pipe
    std::string output;
    double start_seconds;
  };
  std::map<pid_t, Worker> running;
  size_t next = 0;
  auto last_progress = std::chrono::steady_clock::now();
  std::fflush(nullptr);  // nothing buffered may be written twice by the children
  bool forwarded = false;  // the interrupting signal, to the running workers
  while ((next < tenants.size() && !Interrupted()) || !running.empty()) {
    if (Interrupted() && !forwarded) {
      for (const auto& [pid, worker] : running) kill(pid, InterruptSignal());
      forwarded = true;
    }
    while (next < tenants.size() && static_cast<int>(running.size()) < fleet.jobs && !Interrupted()) {
      int pipe_fds[2];
      if (pipe(pipe_fds) != 0) throw Error(ErrorCategory::kInternal, "pipe failed");
      pid_t pid = fork();
      if (pid < 0) throw Error(ErrorCategory::kInternal, "fork failed");
      if (pid == 0) {
        close(pipe_fds[0]);
        // The read ends of the running workers' pipes are the parent's: a
        // worker keeps only its own write end.
        for (const auto& [other, worker] : running) close(worker.fd);
        RunWorker(tenants[next], work, &slots.get()[next], pipe_fds[1]);
      }
      close(pipe_fds[1]);
      running[pid] = {next, pipe_fds[0], "", since_start()};
      ++next;
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
        reports[worker.tenant].start_seconds = worker.start_seconds;
      }
      continue;
    }
    if (fleet.on_progress && std::chrono::steady_clock::now() - last_progress > std::chrono::milliseconds(500)) {
      fleet.on_progress(tenants, slots.get());
      last_progress = std::chrono::steady_clock::now();
    }
  }
  for (; next < tenants.size(); ++next) reports[next].interrupted = true;  // never started
  if (fleet.on_progress) fleet.on_progress(tenants, slots.get());
  return reports;
}

std::vector<DatabaseReport> RunFleet(const std::vector<TenantSpec>& tenants, const MigrationOptions& migration,
                                     const FleetOptions& fleet) {
  std::vector<WorkerResult> results =
      RunWorkerPool(tenants, fleet, [&migration](const TenantSpec& tenant, ProgressSlot* slot) {
        MigrationOptions options = migration;
        options.progress = slot;
        options.timezone = tenant.timezone;
        DatabaseReport report;
        try {
          report = MigrateDatabase(tenant.database, options);
        } catch (const std::exception& e) {
          report = FailedReport(tenant, options, std::string("internal error: ") + e.what());
        }
        return DatabaseReportJson(report);
      });
  std::vector<DatabaseReport> reports(tenants.size());
  for (size_t i = 0; i < tenants.size(); ++i) {
    if (results[i].interrupted) {
      reports[i] = FailedReport(tenants[i], migration, "not started: the run was interrupted");
      reports[i].status = WorkStatus::kInterrupted;
      continue;
    }
    if (results[i].ok) {
      try {
        reports[i] = DatabaseReportFromJson(results[i].text);
      } catch (const std::exception& e) {
        reports[i] = FailedReport(tenants[i], migration, e.what());
      }
    } else {
      reports[i] = FailedReport(tenants[i], migration, results[i].text);
    }
    reports[i].start_seconds = results[i].start_seconds;
  }
  return reports;
}

}  // namespace my2pg
