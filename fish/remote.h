/* guestfish --listen and --remote[=PID]: one guestfish keeps the
 * handle (and the appliance) in the background, others send it
 * commands.
 *
 * The listener's socket is /tmp/.guestfish-$UID/socket-$PID, as
 * upstream names it, in a directory only we may use.  Each command is
 * one connection: the client sends the words (remote-proto.h), the
 * server runs them through the same dispatcher as a local command
 * (fish_execute_words) with its stdout and stderr captured, and sends
 * them back with the status.  Syntax (quotes, "-cmd", "| pipe", !shell,
 * <!include) is handled on the client side, so a pipe runs where its
 * output is read.
 */
#ifndef GUESTKIT_FISH_REMOTE_H
#define GUESTKIT_FISH_REMOTE_H

#include <stdbool.h>
#include <sys/types.h>

/* --remote: the listener commands go to; 0 if they run here. */
extern pid_t fish_remote_pid;

/* --remote[=PID]: use ARG, else $GUESTFISH_PID.  Exits with one error
 * line if neither is set or valid, or no guestfish listens there.
 */
extern void fish_remote_client_setup (const char *arg);

/* Send one command (WORDS: the name and its arguments) to the listener
 * and print its output here.  Returns 0, or -1 if it failed there (its
 * error was printed) or could not be sent (an error is printed).
 */
extern int fish_remote_run (char *const *words);

/* --listen: fork.  Returns in the child, the server to be, with its
 * socket made and stdin and stdout on /dev/null.  The parent waits for
 * fish_remote_serve to be ready, prints "GUESTFISH_PID=N; export
 * GUESTFISH_PID" (CSH: "setenv GUESTFISH_PID N") and exits 0; if the
 * server exits before (a launch or -i failed: it said why on stderr),
 * the parent exits 1 and prints nothing.
 */
extern void fish_remote_listen (bool csh);

/* The server: tell the parent we are ready, then run commands until
 * quit/exit or SIGTERM, SIGINT, SIGHUP.  The handle is closed (the
 * disks synced) and the socket removed before it returns.  Returns 0,
 * or -1 if the final shutdown failed.
 */
extern int fish_remote_serve (void);

#endif /* GUESTKIT_FISH_REMOTE_H */
