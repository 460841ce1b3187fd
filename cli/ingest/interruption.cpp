#include "interruption.hpp"

#include <csignal>

namespace costops::cli {

namespace {

volatile std::sig_atomic_t g_signal = 0;

// Notes the signal; SA_RESETHAND makes the next one end the process as usual.
void note_signal(int signal) {
    g_signal = signal;
}

// Installs `handler` for SIGINT and SIGTERM; SA_RESTART keeps libpq's reads and writes going.
void install(void (*handler)(int), int flags) {
    struct sigaction action {};
    action.sa_handler = handler;
    action.sa_flags = flags;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

}  // namespace

InterruptionGuard::InterruptionGuard() {
    g_signal = 0;
    install(note_signal, SA_RESTART | SA_RESETHAND);
}

InterruptionGuard::~InterruptionGuard() {
    install(SIG_DFL, 0);
}

Interrupted::Interrupted(int signal)
    : CliError(signal == SIGTERM ? "interrupted by SIGTERM" : "interrupted by SIGINT",
               128 + signal),
      signal_(signal) {}

const char* Interrupted::signal_name() const {
    return signal_ == SIGTERM ? "SIGTERM" : "SIGINT";
}

void stop_if_interrupted() {
    if (g_signal != 0) throw Interrupted(g_signal);
}

}  // namespace costops::cli
