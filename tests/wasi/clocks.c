/* Clocks and sleeping: realtime, monotonic, CPU time, nanosleep, usleep,
 * sleep, clock_nanosleep and poll timeouts. Timing-dependent values are
 * printed as checks, so both runs print the same. */
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int64_t ns(clockid_t c) {
  struct timespec ts;
  clock_gettime(c, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void expect(const char* what, int ok) { printf("%s: %s\n", what, ok ? "yes" : "NO"); }

int main(void) {
  time_t now = time(NULL);
  expect("time() is after 2023", now > 1672531200);
  struct timeval tv;
  gettimeofday(&tv, NULL);
  expect("gettimeofday agrees with time()", tv.tv_sec - now >= 0 && tv.tv_sec - now < 5);
  struct tm tm;
  gmtime_r(&now, &tm);
  expect("gmtime year is plausible", tm.tm_year + 1900 >= 2023 && tm.tm_year + 1900 < 2200);
  time_t fixed = 1700000000;
  gmtime_r(&fixed, &tm);
  char text[64];
  strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &tm);
  printf("1700000000 is %s UTC\n", text);

  clockid_t clocks[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID};
  const char* names[] = {"realtime", "monotonic", "process cputime", "thread cputime"};
  for (int i = 0; i < 4; ++i) {
    struct timespec res;
    int rc = clock_getres(clocks[i], &res);
    printf("clock_getres %s: %s\n", names[i], rc == 0 && (res.tv_sec > 0 || res.tv_nsec > 0) ? "ok" : "failed");
  }

  int64_t t0 = ns(CLOCK_MONOTONIC);
  int64_t last = t0, backwards = 0;
  for (int i = 0; i < 1000; ++i) {
    int64_t t = ns(CLOCK_MONOTONIC);
    if (t < last) ++backwards;
    last = t;
  }
  expect("monotonic never goes backwards", backwards == 0);

  struct timespec req = {0, 30 * 1000 * 1000};
  t0 = ns(CLOCK_MONOTONIC);
  nanosleep(&req, NULL);
  int64_t slept = ns(CLOCK_MONOTONIC) - t0;
  expect("nanosleep(30ms) sleeps at least 30ms", slept >= 30000000);
  expect("nanosleep(30ms) sleeps less than 2s", slept < 2000000000);

  t0 = ns(CLOCK_MONOTONIC);
  usleep(20000);
  slept = ns(CLOCK_MONOTONIC) - t0;
  expect("usleep(20ms) sleeps at least 20ms", slept >= 20000000);

  t0 = ns(CLOCK_MONOTONIC);
  sleep(1);
  slept = ns(CLOCK_MONOTONIC) - t0;
  expect("sleep(1) sleeps at least 1s", slept >= 1000000000);
  expect("sleep(1) sleeps less than 3s", slept < 3000000000LL);

  /* An absolute deadline on the monotonic clock. */
  struct timespec deadline;
  clock_gettime(CLOCK_MONOTONIC, &deadline);
  deadline.tv_nsec += 25 * 1000 * 1000;
  if (deadline.tv_nsec >= 1000000000) {
    deadline.tv_sec += 1;
    deadline.tv_nsec -= 1000000000;
  }
  clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL);
  int64_t after = ns(CLOCK_MONOTONIC);
  expect("clock_nanosleep(TIMER_ABSTIME) reaches the deadline",
         after >= (int64_t)deadline.tv_sec * 1000000000 + deadline.tv_nsec);

  t0 = ns(CLOCK_MONOTONIC);
  int rc = poll(NULL, 0, 15);
  slept = ns(CLOCK_MONOTONIC) - t0;
  expect("poll(no fds, 15ms) times out after 15ms", rc == 0 && slept >= 15000000);

  /* Burn some CPU: process CPU time advances. */
  int64_t c0 = ns(CLOCK_PROCESS_CPUTIME_ID);
  volatile uint64_t x = 1;
  for (int i = 0; i < 20000000; ++i) x = x * 6364136223846793005ULL + 1442695040888963407ULL;
  int64_t c1 = ns(CLOCK_PROCESS_CPUTIME_ID);
  expect("process CPU time advances", c1 > c0);
  expect("clock() advances", clock() > 0);
  return 0;
}
