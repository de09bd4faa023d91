#include "runtime/interruption.h"

#include <signal.h>
#include <unistd.h>

namespace my2pg {
namespace {

volatile sig_atomic_t g_signal = 0;
volatile sig_atomic_t g_fleet_parent = 0;

void OnSignal(int signal) {
  if (g_fleet_parent && signal == SIGINT && g_signal != 0) _exit(130);
  if (g_signal == 0) g_signal = signal;
}

}  // namespace

void InstallInterruptHandlers(bool fleet_parent) {
  g_fleet_parent = fleet_parent ? 1 : 0;
  struct sigaction action = {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

int InterruptSignal() { return g_signal; }

}  // namespace my2pg
