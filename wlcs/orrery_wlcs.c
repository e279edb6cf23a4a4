/*
 * The WLCS integration for Orrery: a shared object the `wlcs` runner loads.
 *
 * Each test gets a fresh compositor: `python -m compositor run --backend headless --no-shell` in a child
 * process with its own XDG_RUNTIME_DIR. Every hook is one request on the compositor's IPC socket
 * (compositor/ipc.py: one JSON line each way), and the compositor answers only after it has handled the
 * request and flushed its clients, so each hook is synchronous:
 *
 *   create_client_socket      client-socket (one end of a socketpair, passed with SCM_RIGHTS) -> client id
 *   position_window_absolute  surface move CLIENT_ID SURFACE_ID X Y (a window or a layer surface)
 *   pointer                   pointer move X Y | pointer move-by DX DY | pointer button CODE press|release
 *   touch                     touch down ID X Y | touch motion ID X Y | touch up ID
 *
 * Environment: ORRERY_ROOT (the repository; default: two levels above this file), ORRERY_PYTHON
 * (default: ORRERY_ROOT/.venv/bin/python), ORRERY_WLCS_OUTPUT (default 1920x1080@60) and ORRERY_WLCS_LOG
 * (where the compositor's stderr goes; default /dev/null).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <wayland-client-core.h>
#include <wlcs/display_server.h>
#include <wlcs/pointer.h>
#include <wlcs/touch.h>

#define SOCKET_NAME "wayland-wlcs"
#define START_TIMEOUT_MS 30000
#define REPLY_TIMEOUT_MS 20000

struct client_entry {
    int fd;     /* our end's descriptor number, as wl_display_get_fd reports it */
    long id;    /* the compositor's id for the other end */
};

struct orrery_server {
    WlcsDisplayServer base;
    pthread_mutex_t lock;
    pid_t child;
    int ipc_fd;
    char runtime_dir[64];
    struct client_entry *clients;
    size_t n_clients, cap_clients;
    int next_touch_id;
};

struct orrery_pointer {
    WlcsPointer base;
    struct orrery_server *server;
};

struct orrery_touch {
    WlcsTouch base;
    struct orrery_server *server;
    int id;
};

static void warn(char const *format, ...)
{
    va_list args;
    va_start(args, format);
    fputs("orrery-wlcs: ", stderr);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* -- locating the repository ------------------------------------------------------------------------ */

static void repo_root(char *out, size_t size)
{
    char const *env = getenv("ORRERY_ROOT");
    if (env && *env) {
        snprintf(out, size, "%s", env);
        return;
    }
    Dl_info info;
    char path[PATH_MAX];
    if (dladdr((void *)repo_root, &info) && info.dli_fname && realpath(info.dli_fname, path)) {
        /* <root>/build/wlcs/orrery_wlcs.so */
        for (int i = 0; i < 3; i++) {
            char *slash = strrchr(path, '/');
            if (slash) *slash = '\0';
        }
        snprintf(out, size, "%s", path);
        return;
    }
    snprintf(out, size, ".");
}

/* -- IPC ---------------------------------------------------------------------------------------------- */

static void json_string(char *out, size_t size, char const *text)
{
    size_t n = 0;
    if (n < size) out[n++] = '"';
    for (; *text && n + 3 < size; text++) {
        if (*text == '"' || *text == '\\') out[n++] = '\\';
        out[n++] = *text;
    }
    if (n < size) out[n++] = '"';
    out[n < size ? n : size - 1] = '\0';
}

/*
 * Send {"command": COMMAND, "args": [ARGS...]} (with fd attached when fd >= 0) and wait for the reply
 * line. Returns the malloc'd reply, or NULL on failure; *ok tells whether the reply said "ok": true.
 */
static char *ipc_request(struct orrery_server *server, int fd, int *ok, char const *command, int argc,
                         char const *const *argv)
{
    char line[4096], quoted[512];
    *ok = 0;
    if (server->ipc_fd < 0) {
        warn("%s: no compositor", command);
        return NULL;
    }
    json_string(quoted, sizeof quoted, command);
    int n = snprintf(line, sizeof line, "{\"command\": %s, \"args\": [", quoted);
    for (int i = 0; i < argc; i++) {
        json_string(quoted, sizeof quoted, argv[i]);
        n += snprintf(line + n, sizeof line - n, "%s%s", i ? ", " : "", quoted);
    }
    n += snprintf(line + n, sizeof line - n, "]}\n");

    struct iovec iov = {.iov_base = line, .iov_len = (size_t)n};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
    if (fd >= 0) {
        memset(&control, 0, sizeof control);
        msg.msg_control = control.buf;
        msg.msg_controllen = sizeof control.buf;
        struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
        cmsg->cmsg_level = SOL_SOCKET;
        cmsg->cmsg_type = SCM_RIGHTS;
        cmsg->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
    }
    ssize_t sent;
    do {
        sent = sendmsg(server->ipc_fd, &msg, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    if (sent != n) {
        warn("%s: sending the request failed: %s", command, strerror(errno));
        return NULL;
    }

    size_t size = 0, cap = 1024;
    char *reply = malloc(cap);
    long deadline = now_ms() + REPLY_TIMEOUT_MS;
    for (;;) {
        struct pollfd pfd = {.fd = server->ipc_fd, .events = POLLIN};
        long left = deadline - now_ms();
        if (left <= 0 || poll(&pfd, 1, (int)left) <= 0) {
            if (errno == EINTR) continue;
            warn("%s: no reply from the compositor", command);
            free(reply);
            return NULL;
        }
        if (size + 512 > cap) reply = realloc(reply, cap *= 2);
        ssize_t got = recv(server->ipc_fd, reply + size, cap - size - 1, 0);
        if (got <= 0) {
            if (got < 0 && errno == EINTR) continue;
            warn("%s: the compositor closed the IPC connection", command);
            free(reply);
            return NULL;
        }
        size += (size_t)got;
        reply[size] = '\0';
        if (memchr(reply, '\n', size)) break;
    }
    *ok = strstr(reply, "\"ok\": true") != NULL;
    if (!*ok) warn("%s: %s", command, reply);
    return reply;
}

static int ipc_simple(struct orrery_server *server, char const *command, int argc, char const *const *argv)
{
    int ok;
    pthread_mutex_lock(&server->lock);
    free(ipc_request(server, -1, &ok, command, argc, argv));
    pthread_mutex_unlock(&server->lock);
    return ok;
}

static long reply_result_int(char const *reply)
{
    char const *result = reply ? strstr(reply, "\"result\": ") : NULL;
    return result ? strtol(result + strlen("\"result\": "), NULL, 10) : -1;
}

/* -- the compositor process ------------------------------------------------------------------------- */

static void remove_runtime_dir(char const *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *entry;
    while ((entry = readdir(d))) {
        if (strcmp(entry->d_name, ".") && strcmp(entry->d_name, ".."))
            unlinkat(dirfd(d), entry->d_name, 0);
    }
    closedir(d);
    rmdir(dir);
}

static int read_line(int fd, char *out, size_t size, long deadline)
{
    size_t n = 0;
    while (n + 1 < size) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        long left = deadline - now_ms();
        if (left <= 0) return -1;
        int ready = poll(&pfd, 1, (int)left);
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) return -1;
        ssize_t got = read(fd, out + n, 1);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return -1;
        if (out[n] == '\n') break;
        n++;
    }
    out[n] = '\0';
    return 0;
}

static void orrery_start(WlcsDisplayServer *base)
{
    struct orrery_server *server = (struct orrery_server *)base;
    char root[PATH_MAX], python[PATH_MAX + 32], env_runtime[PATH_MAX + 32];
    repo_root(root, sizeof root);
    char const *py = getenv("ORRERY_PYTHON");
    if (py && *py)
        snprintf(python, sizeof python, "%s", py);
    else
        snprintf(python, sizeof python, "%s/.venv/bin/python", root);
    char const *output = getenv("ORRERY_WLCS_OUTPUT");
    if (!output || !*output) output = "1920x1080@60";
    char const *log = getenv("ORRERY_WLCS_LOG");
    if (!log || !*log) log = "/dev/null";

    snprintf(server->runtime_dir, sizeof server->runtime_dir, "/tmp/orrery-wlcs-XXXXXX");
    if (!mkdtemp(server->runtime_dir)) {
        warn("mkdtemp: %s", strerror(errno));
        return;
    }
    snprintf(env_runtime, sizeof env_runtime, "XDG_RUNTIME_DIR=%s", server->runtime_dir);

    /* The child's environment: ours without WAYLAND_DISPLAY/XDG_RUNTIME_DIR, plus its runtime dir. */
    extern char **environ;
    size_t count = 0;
    while (environ[count]) count++;
    char **envp = calloc(count + 2, sizeof *envp);
    size_t k = 0;
    for (size_t i = 0; i < count; i++) {
        if (strncmp(environ[i], "WAYLAND_DISPLAY=", 16) && strncmp(environ[i], "XDG_RUNTIME_DIR=", 16))
            envp[k++] = environ[i];
    }
    envp[k++] = env_runtime;
    envp[k] = NULL;
    char *argv[] = {python, "-m", "compositor", "run", "--backend", "headless", "--no-shell",
                    "--socket", SOCKET_NAME, "--output", (char *)output, NULL};

    int out[2];
    if (pipe2(out, O_CLOEXEC) < 0) {
        warn("pipe: %s", strerror(errno));
        free(envp);
        return;
    }
    int log_fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(127);
        dup2(out[1], STDOUT_FILENO);
        if (log_fd >= 0) dup2(log_fd, STDERR_FILENO);
        if (chdir(root) < 0) _exit(127);
        execve(python, argv, envp);
        _exit(127);
    }
    free(envp);
    close(out[1]);
    if (log_fd >= 0) close(log_fd);
    if (child < 0) {
        warn("fork: %s", strerror(errno));
        close(out[0]);
        return;
    }
    server->child = child;

    char line[256];
    if (read_line(out[0], line, sizeof line, now_ms() + START_TIMEOUT_MS) < 0 ||
        strcmp(line, "WAYLAND_DISPLAY=" SOCKET_NAME) != 0) {
        warn("the compositor did not start (%s %s); see ORRERY_WLCS_LOG", python, "-m compositor run");
        close(out[0]);
        return;
    }
    close(out[0]); /* it prints nothing else; a closed pipe is fine */

    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    snprintf(addr.sun_path, sizeof addr.sun_path, "%s/orrery-%s.sock", server->runtime_dir, SOCKET_NAME);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        warn("connecting to %s: %s", addr.sun_path, strerror(errno));
        if (fd >= 0) close(fd);
        return;
    }
    server->ipc_fd = fd;

    /* The pointer starts in the top-left corner, away from where new windows appear (the centre): the
     * tests assume a pointer that is not over a window until they put it there. */
    char const *corner[] = {"move", "0", "0"};
    int ok;
    free(ipc_request(server, -1, &ok, "pointer", 3, corner));
}

static void orrery_stop(WlcsDisplayServer *base)
{
    struct orrery_server *server = (struct orrery_server *)base;
    pthread_mutex_lock(&server->lock);
    if (server->ipc_fd >= 0) {
        int ok;
        free(ipc_request(server, -1, &ok, "quit", 0, NULL));
        close(server->ipc_fd);
        server->ipc_fd = -1;
    }
    if (server->child > 0) {
        long deadline = now_ms() + 5000;
        int status;
        while (waitpid(server->child, &status, WNOHANG) == 0) {
            if (now_ms() > deadline) {
                kill(server->child, SIGKILL);
                waitpid(server->child, &status, 0);
                break;
            }
            usleep(5000);
        }
        server->child = 0;
    }
    if (server->runtime_dir[0]) {
        remove_runtime_dir(server->runtime_dir);
        server->runtime_dir[0] = '\0';
    }
    server->n_clients = 0;
    pthread_mutex_unlock(&server->lock);
}

/* -- clients and windows ---------------------------------------------------------------------------- */

static int orrery_create_client_socket(WlcsDisplayServer *base)
{
    struct orrery_server *server = (struct orrery_server *)base;
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0) {
        warn("socketpair: %s", strerror(errno));
        return -1;
    }
    int ok;
    pthread_mutex_lock(&server->lock);
    char *reply = ipc_request(server, pair[1], &ok, "client-socket", 0, NULL);
    close(pair[1]); /* the compositor has its own copy now */
    long id = ok ? reply_result_int(reply) : -1;
    free(reply);
    if (id < 0) {
        pthread_mutex_unlock(&server->lock);
        close(pair[0]);
        return -1;
    }
    size_t i;
    for (i = 0; i < server->n_clients && server->clients[i].fd != pair[0]; i++) {}
    if (i == server->n_clients) {
        if (server->n_clients == server->cap_clients) {
            server->cap_clients = server->cap_clients ? server->cap_clients * 2 : 16;
            server->clients = realloc(server->clients, server->cap_clients * sizeof *server->clients);
        }
        server->n_clients++;
    }
    server->clients[i] = (struct client_entry){.fd = pair[0], .id = id};
    pthread_mutex_unlock(&server->lock);
    return pair[0];
}

static void orrery_position_window_absolute(WlcsDisplayServer *base, struct wl_display *client,
                                            struct wl_surface *surface, int x, int y)
{
    struct orrery_server *server = (struct orrery_server *)base;
    int fd = wl_display_get_fd(client);
    long client_id = -1;
    pthread_mutex_lock(&server->lock);
    for (size_t i = 0; i < server->n_clients; i++) {
        if (server->clients[i].fd == fd) client_id = server->clients[i].id;
    }
    if (client_id < 0) {
        pthread_mutex_unlock(&server->lock);
        warn("position_window_absolute: unknown client (fd %d)", fd);
        return;
    }
    char client_arg[32], surface_arg[32], xs[32], ys[32];
    snprintf(client_arg, sizeof client_arg, "%ld", client_id);
    snprintf(surface_arg, sizeof surface_arg, "%u", wl_proxy_get_id((struct wl_proxy *)surface));
    snprintf(xs, sizeof xs, "%d", x);
    snprintf(ys, sizeof ys, "%d", y);
    /* a window or a layer surface (WLCS places both with this hook) */
    char const *move[] = {"move", client_arg, surface_arg, xs, ys};
    int ok;
    free(ipc_request(server, -1, &ok, "surface", 5, move));
    pthread_mutex_unlock(&server->lock);
}

/* -- pointer -------------------------------------------------------------------------------------------- */

static void pointer_move(WlcsPointer *base, char const *how, wl_fixed_t x, wl_fixed_t y)
{
    struct orrery_pointer *pointer = (struct orrery_pointer *)base;
    char xs[32], ys[32];
    snprintf(xs, sizeof xs, "%.8g", wl_fixed_to_double(x));
    snprintf(ys, sizeof ys, "%.8g", wl_fixed_to_double(y));
    char const *args[] = {how, xs, ys};
    ipc_simple(pointer->server, "pointer", 3, args);
}

static void pointer_move_absolute(WlcsPointer *base, wl_fixed_t x, wl_fixed_t y)
{
    pointer_move(base, "move", x, y);
}

static void pointer_move_relative(WlcsPointer *base, wl_fixed_t dx, wl_fixed_t dy)
{
    pointer_move(base, "move-by", dx, dy);
}

static void pointer_button(WlcsPointer *base, int button, char const *state)
{
    struct orrery_pointer *pointer = (struct orrery_pointer *)base;
    char code[32];
    snprintf(code, sizeof code, "%d", button);
    char const *args[] = {"button", code, state};
    ipc_simple(pointer->server, "pointer", 3, args);
}

static void pointer_button_down(WlcsPointer *base, int button)
{
    pointer_button(base, button, "press");
}

static void pointer_button_up(WlcsPointer *base, int button)
{
    pointer_button(base, button, "release");
}

static void pointer_destroy(WlcsPointer *base)
{
    free(base);
}

static WlcsPointer *orrery_create_pointer(WlcsDisplayServer *base)
{
    struct orrery_pointer *pointer = calloc(1, sizeof *pointer);
    pointer->base.version = WLCS_POINTER_VERSION;
    pointer->base.move_absolute = pointer_move_absolute;
    pointer->base.move_relative = pointer_move_relative;
    pointer->base.button_up = pointer_button_up;
    pointer->base.button_down = pointer_button_down;
    pointer->base.destroy = pointer_destroy;
    pointer->server = (struct orrery_server *)base;
    return &pointer->base;
}

/* -- touch ---------------------------------------------------------------------------------------------- */

/* WLCS passes touch coordinates as plain integers, despite the wl_fixed_t in the prototype. */
static void touch_event(WlcsTouch *base, char const *what, int with_position, int x, int y)
{
    struct orrery_touch *touch = (struct orrery_touch *)base;
    char id[32], xs[32], ys[32];
    snprintf(id, sizeof id, "%d", touch->id);
    snprintf(xs, sizeof xs, "%d", x);
    snprintf(ys, sizeof ys, "%d", y);
    char const *args[] = {what, id, xs, ys};
    ipc_simple(touch->server, "touch", with_position ? 4 : 2, args);
}

static void touch_down(WlcsTouch *base, wl_fixed_t x, wl_fixed_t y)
{
    touch_event(base, "down", 1, x, y);
}

static void touch_move(WlcsTouch *base, wl_fixed_t x, wl_fixed_t y)
{
    touch_event(base, "motion", 1, x, y);
}

static void touch_up(WlcsTouch *base)
{
    touch_event(base, "up", 0, 0, 0);
}

static void touch_destroy(WlcsTouch *base)
{
    free(base);
}

static WlcsTouch *orrery_create_touch(WlcsDisplayServer *base)
{
    struct orrery_server *server = (struct orrery_server *)base;
    struct orrery_touch *touch = calloc(1, sizeof *touch);
    touch->base.version = WLCS_TOUCH_VERSION;
    touch->base.touch_down = touch_down;
    touch->base.touch_move = touch_move;
    touch->base.touch_up = touch_up;
    touch->base.destroy = touch_destroy;
    touch->server = server;
    pthread_mutex_lock(&server->lock);
    touch->id = server->next_touch_id++;
    pthread_mutex_unlock(&server->lock);
    return &touch->base;
}

/* -- descriptor ----------------------------------------------------------------------------------------- */

/* Exactly the globals compositor/server.py announces, at the versions their handlers bind. */
static WlcsExtensionDescriptor const extensions[] = {
    {"wl_compositor", 6},
    {"wl_subcompositor", 1},
    {"wl_shm", 1},
    {"wl_output", 4},
    {"zxdg_output_manager_v1", 3},
    {"wl_seat", 8},
    {"xdg_wm_base", 5},
    {"zxdg_decoration_manager_v1", 1},
    {"wp_viewporter", 1},
    {"wp_presentation", 1},
    {"wl_data_device_manager", 3},
    {"zwp_primary_selection_device_manager_v1", 1},
    {"zwp_virtual_keyboard_manager_v1", 1},
    {"zwlr_virtual_pointer_manager_v1", 2},
    {"zwp_relative_pointer_manager_v1", 1},
    {"zwp_pointer_constraints_v1", 1},
    {"zwlr_layer_shell_v1", 4},
    {"zwlr_foreign_toplevel_manager_v1", 3},
    {"ext_foreign_toplevel_list_v1", 1},
    {"ext_workspace_manager_v1", 1},
    {"xdg_activation_v1", 1},
    {"wp_fractional_scale_manager_v1", 1},
    {"wp_cursor_shape_manager_v1", 2},
    {"wp_security_context_manager_v1", 1},
};

static WlcsIntegrationDescriptor const descriptor = {
    .version = 1,
    .num_extensions = sizeof extensions / sizeof extensions[0],
    .supported_extensions = extensions,
};

static WlcsIntegrationDescriptor const *orrery_get_descriptor(WlcsDisplayServer const *server)
{
    (void)server;
    return &descriptor;
}

/* -- the integration ----------------------------------------------------------------------------------- */

static WlcsDisplayServer *orrery_create_server(int argc, char const **argv)
{
    (void)argc;
    (void)argv;
    struct orrery_server *server = calloc(1, sizeof *server);
    server->base.version = 3;
    server->base.start = orrery_start;
    server->base.stop = orrery_stop;
    server->base.create_client_socket = orrery_create_client_socket;
    server->base.position_window_absolute = orrery_position_window_absolute;
    server->base.create_pointer = orrery_create_pointer;
    server->base.create_touch = orrery_create_touch;
    server->base.get_descriptor = orrery_get_descriptor;
    server->base.start_on_this_thread = NULL;
    pthread_mutex_init(&server->lock, NULL);
    server->ipc_fd = -1;
    server->next_touch_id = 1;
    return &server->base;
}

static void orrery_destroy_server(WlcsDisplayServer *base)
{
    struct orrery_server *server = (struct orrery_server *)base;
    if (server->child > 0 || server->ipc_fd >= 0) orrery_stop(base);
    pthread_mutex_destroy(&server->lock);
    free(server->clients);
    free(server);
}

WlcsServerIntegration const wlcs_server_integration = {
    .version = 1,
    .create_server = orrery_create_server,
    .destroy_server = orrery_destroy_server,
};
