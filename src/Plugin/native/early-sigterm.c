/*
 * SIGTERM from the first instruction of a check. A monitoring core that stops or reloads sends SIGTERM to the
 * checks it started, at any moment; before the .NET runtime is up (about 1.5 ms of a check's start) nothing
 * handles it, and the kernel ends the check with no output (67 of 200 checks signalled within 5 ms of their
 * start). This constructor runs before the runtime: it only records the signal, and the runner asks for it
 * (duplicity_checks_early_sigterm) once its own handler is in place, then answers with its one UNKNOWN line.
 * A signal that arrives before even this constructor ran (between execve and the first instruction) still
 * ends the process: no program can handle that one.
 */
#include <signal.h>
#include <string.h>

static volatile sig_atomic_t received;

static void record(int signal_number)
{
    (void)signal_number;
    received = 1;
}

__attribute__((constructor)) static void install(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = record;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, 0);
}

int duplicity_checks_early_sigterm(void)
{
    return received;
}
