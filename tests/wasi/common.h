/* Shared by the tests/wasi programs: errno names that print the same under
 * WASI (wasi-libc) and natively (glibc), whose errno numbers and strerror
 * texts differ. */
#ifndef WEFT_WASI_TEST_COMMON_H
#define WEFT_WASI_TEST_COMMON_H

#include <errno.h>
#include <stdio.h>

static const char* errname(int e) {
  switch (e) {
    case 0: return "OK";
    case ENOENT: return "ENOENT";
    case EBADF: return "EBADF";
    case EEXIST: return "EEXIST";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case EINVAL: return "EINVAL";
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case ELOOP: return "ELOOP";
    case ESPIPE: return "ESPIPE";
    case EXDEV: return "EXDEV";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ENOTSOCK: return "ENOTSOCK";
    case EBUSY: return "EBUSY";
    case EMLINK: return "EMLINK";
    case EFAULT: return "EFAULT";
    case ENOTSUP: return "ENOTSUP";
    case EOVERFLOW: return "EOVERFLOW";
    case EFBIG: return "EFBIG";
    case ENXIO: return "ENXIO";
    case ENODEV: return "ENODEV";
    case EAGAIN: return "EAGAIN";
    case ENOTCONN: return "ENOTCONN";
    case ENOSYS: return "ENOSYS";
    case ERANGE: return "ERANGE";
#ifdef ENOTCAPABLE
    case ENOTCAPABLE: return "ENOTCAPABLE";
#endif
    default: return "E?";
  }
}

/* Prints "what: OK" when rc >= 0, else "what: ENAME". Returns rc. */
static int check(const char* what, int rc) {
  printf("%s: %s\n", what, rc >= 0 ? "OK" : errname(errno));
  return rc;
}

#endif
