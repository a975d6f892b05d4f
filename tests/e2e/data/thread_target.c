/* The process the pthread_create uprobe test traces: starts one thread and prints the address of
   the thread's start routine, which the probe reads as pthread_create's third argument. */
#include <pthread.h>
#include <stdio.h>

static void *worker(void *arg) { return arg; }

int main(void) {
  pthread_t thread;
  printf("worker=%lu\n", (unsigned long)worker);
  fflush(stdout);
  if (pthread_create(&thread, NULL, worker, NULL) != 0) return 1;
  return pthread_join(thread, NULL);
}
