/*
 * What Rust's wasm32-wasip1 std (>= 1.90) expects of wasi-libc and Debian's wasi-libc
 * (2022-05, /usr/lib/wasm32-wasi) lacks, for the single-threaded target. Newer wasi-libc has
 * these for THREAD_MODEL=single (libc-top-half/musl/src/thread/single-threaded/, misc/realpath.c,
 * libc-bottom-half/sources/posix.c); without them a program using std::thread::spawn,
 * std::thread::scope, fs::canonicalize or fs::set_permissions fails to link.
 *
 * scripts/setup-toolchains.sh compiles this file with Debian's clang for wasm32-wasi and adds
 * the object to the libc.a in the self-contained directory of the std it builds. The linker takes
 * an archive member only for a symbol still undefined, so programs that use none of these
 * functions are unchanged. Behaviour is that of upstream wasm32-wasip1: spawning a thread fails
 * (Rust: "failed to spawn thread: ... Not supported", a panic), canonicalize resolves paths in
 * the guest's file tree, chmod is not supported.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Debian's wasi-libc has no <pthread.h>; the layouts are musl's on wasm32 (36-byte attr). */
typedef struct {
	unsigned long stacksize;
	unsigned long rest[8];
} wasmbox_pthread_attr_t;
typedef void *wasmbox_pthread_t;

#define DEFAULT_STACK_SIZE (128 * 1024)
#define MIN_STACK_SIZE 2048
#define MAX_SYMLINKS 40

int pthread_attr_init(wasmbox_pthread_attr_t *attr)
{
	memset(attr, 0, sizeof *attr);
	attr->stacksize = DEFAULT_STACK_SIZE;
	return 0;
}

int pthread_attr_destroy(wasmbox_pthread_attr_t *attr)
{
	(void)attr;
	return 0;
}

int pthread_attr_setstacksize(wasmbox_pthread_attr_t *attr, size_t size)
{
	if (size < MIN_STACK_SIZE || size > SIZE_MAX / 4)
		return EINVAL;
	attr->stacksize = size;
	return 0;
}

/* There is no second thread to run the routine on: fail as upstream's single-threaded libc does. */
int pthread_create(wasmbox_pthread_t *thread, const wasmbox_pthread_attr_t *attr,
                   void *(*start)(void *), void *arg)
{
	(void)thread;
	(void)attr;
	(void)start;
	(void)arg;
	return ENOTSUP;
}

/* Only reachable for a thread that was created, i.e. never; succeed as upstream does. */
int pthread_join(wasmbox_pthread_t thread, void **result)
{
	(void)thread;
	(void)result;
	return 0;
}

int pthread_detach(wasmbox_pthread_t thread)
{
	(void)thread;
	return 0;
}

/* WASI preview 1 has no permission bits to change. */
int chmod(const char *path, mode_t mode)
{
	(void)path;
	(void)mode;
	errno = ENOSYS;
	return -1;
}

int fchmod(int fd, mode_t mode)
{
	(void)fd;
	(void)mode;
	errno = ENOSYS;
	return -1;
}

/* Drops the last component of an absolute path ("/a/b" -> "/a", "/a" -> "/"). */
static size_t parent_length(const char *path, size_t len)
{
	while (len > 1 && path[len - 1] != '/')
		len--;
	return len > 1 ? len - 1 : 1;
}

/*
 * POSIX realpath over the libc's getcwd, lstat and readlink: walks the path one component at a
 * time from the root or the working directory, follows symbolic links, and fails as the
 * lookups do (ENOENT for a missing component, ENOTDIR for a file used as a directory).
 */
char *realpath(const char *restrict path, char *restrict resolved)
{
	char out[PATH_MAX];
	char todo[PATH_MAX];
	char link[PATH_MAX];
	size_t out_len, pos = 0;
	int links = 0;

	if (!path) {
		errno = EINVAL;
		return NULL;
	}
	if (!*path) {
		errno = ENOENT;
		return NULL;
	}
	if (strlen(path) >= sizeof todo)
		goto too_long;
	strcpy(todo, path);
	if (todo[0] == '/') {
		strcpy(out, "/");
	} else if (!getcwd(out, sizeof out)) {
		return NULL;
	}
	out_len = strlen(out);

	for (;;) {
		while (todo[pos] == '/')
			pos++;
		if (!todo[pos])
			break;
		const char *name = todo + pos;
		size_t name_len = strcspn(name, "/");
		pos += name_len;

		if (name_len == 1 && name[0] == '.')
			continue;
		if (name_len == 2 && name[0] == '.' && name[1] == '.') {
			out_len = parent_length(out, out_len);
			out[out_len] = 0;
			continue;
		}

		size_t before = out_len;
		if (out_len + 1 + name_len >= sizeof out)
			goto too_long;
		if (out_len > 1)
			out[out_len++] = '/';
		memcpy(out + out_len, name, name_len);
		out_len += name_len;
		out[out_len] = 0;

		struct stat st;
		if (lstat(out, &st) != 0)
			return NULL;
		if (S_ISLNK(st.st_mode)) {
			if (++links > MAX_SYMLINKS) {
				errno = ELOOP;
				return NULL;
			}
			ssize_t n = readlink(out, link, sizeof link - 1);
			if (n < 0)
				return NULL;
			size_t rest = strlen(todo + pos);
			if ((size_t)n + rest >= sizeof link)
				goto too_long;
			/* the link's text replaces its name in what is left to walk */
			memcpy(link + n, todo + pos, rest + 1);
			strcpy(todo, link);
			pos = 0;
			if (todo[0] == '/') {
				out_len = 1;
			} else {
				out_len = before;
			}
			out[out_len] = 0;
			continue;
		}
		if (todo[pos] == '/' && !S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			return NULL;
		}
	}

	if (resolved)
		return memcpy(resolved, out, out_len + 1);
	return strdup(out);

too_long:
	errno = ENAMETOOLONG;
	return NULL;
}
