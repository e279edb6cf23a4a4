"""ABI-level access to the libwayland-server that pywayland loaded.

pywayland's own cffi module leaves out what a server needs (shm buffer access, implementation errors,
``wl_global_destroy``), so we open the *same* shared object a second time in cffi's ABI mode. dlopen of an
already-loaded path returns the loaded instance, so objects and the SIGBUS handler for shm are shared.
"""

from __future__ import annotations

import glob
import os
from typing import Any

import pywayland
from pywayland import ffi as pywayland_ffi

from .. import preparsed

CDEF = """
struct wl_list { struct wl_list *prev; struct wl_list *next; };
struct wl_listener { struct wl_list link; void (*notify)(struct wl_listener *listener, void *data); };
struct wl_message { const char *name; const char *signature; const struct wl_interface **types; };
struct wl_interface {
    const char *name; int version;
    int method_count; const struct wl_message *methods;
    int event_count; const struct wl_message *events;
};
struct wl_array { size_t size; size_t alloc; void *data; };
union wl_argument {
    int32_t i; uint32_t u; int32_t f; const char *s; struct wl_object *o; uint32_t n;
    struct wl_array *a; int32_t h;
};
struct wl_display; struct wl_client; struct wl_resource; struct wl_global; struct wl_object;
struct wl_shm_buffer; struct wl_event_loop;
/* The first argument is const in libwayland; plain here so ffi.from_handle takes it as it comes. */
typedef int (*wl_dispatcher_func_t)(void *, void *, uint32_t, const struct wl_message *,
                                    union wl_argument *);
typedef void (*wl_resource_destroy_func_t)(struct wl_resource *resource);
typedef void (*wl_global_bind_func_t)(struct wl_client *client, void *data, uint32_t version, uint32_t id);
enum wl_iterator_result { WL_ITERATOR_STOP, WL_ITERATOR_CONTINUE };
typedef enum wl_iterator_result (*wl_client_for_each_resource_iterator_func_t)(struct wl_resource *resource,
                                                                                void *user_data);
typedef bool (*wl_display_global_filter_func_t)(const struct wl_client *client, const struct wl_global *global,
                                                void *data);

struct wl_resource *wl_resource_create(struct wl_client *client, const struct wl_interface *interface,
                                       int version, uint32_t id);
void wl_resource_set_dispatcher(struct wl_resource *resource, wl_dispatcher_func_t dispatcher,
                                const void *implementation, void *data, wl_resource_destroy_func_t destroy);
void wl_resource_destroy(struct wl_resource *resource);
uint32_t wl_resource_get_id(struct wl_resource *resource);
struct wl_client *wl_resource_get_client(struct wl_resource *resource);
int wl_resource_get_version(struct wl_resource *resource);
const char *wl_resource_get_class(struct wl_resource *resource);
void *wl_resource_get_user_data(struct wl_resource *resource);
void wl_resource_post_event_array(struct wl_resource *resource, uint32_t opcode, union wl_argument *args);
void wl_resource_post_error(struct wl_resource *resource, uint32_t code, const char *msg, ...);
void wl_resource_add_destroy_listener(struct wl_resource *resource, struct wl_listener *listener);

struct wl_client *wl_client_create(struct wl_display *display, int fd);
void wl_client_destroy(struct wl_client *client);
void wl_client_flush(struct wl_client *client);
void wl_client_post_implementation_error(struct wl_client *client, const char *msg, ...);
void wl_client_add_destroy_listener(struct wl_client *client, struct wl_listener *listener);
void wl_client_get_credentials(struct wl_client *client, int32_t *pid, uint32_t *uid, uint32_t *gid);
int wl_client_get_fd(struct wl_client *client);
struct wl_resource *wl_client_get_object(struct wl_client *client, uint32_t id);
void wl_client_add_resource_created_listener(struct wl_client *client, struct wl_listener *listener);
void wl_client_for_each_resource(struct wl_client *client, wl_client_for_each_resource_iterator_func_t iterator,
                                 void *user_data);

struct wl_global *wl_global_create(struct wl_display *display, const struct wl_interface *interface,
                                   int version, void *data, wl_global_bind_func_t bind);
void wl_global_remove(struct wl_global *global);
void wl_global_destroy(struct wl_global *global);

struct wl_display *wl_display_create(void);
void wl_display_destroy(struct wl_display *display);
void wl_display_destroy_clients(struct wl_display *display);
struct wl_event_loop *wl_display_get_event_loop(struct wl_display *display);
int wl_display_add_socket(struct wl_display *display, const char *name);
int wl_display_add_socket_fd(struct wl_display *display, int sock_fd);
void wl_display_flush_clients(struct wl_display *display);
uint32_t wl_display_next_serial(struct wl_display *display);
int wl_display_init_shm(struct wl_display *display);
uint32_t *wl_display_add_shm_format(struct wl_display *display, uint32_t format);
void wl_display_add_client_created_listener(struct wl_display *display, struct wl_listener *listener);
void wl_display_set_global_filter(struct wl_display *display, wl_display_global_filter_func_t filter, void *data);

int wl_event_loop_get_fd(struct wl_event_loop *loop);
int wl_event_loop_dispatch(struct wl_event_loop *loop, int timeout);
void wl_event_loop_dispatch_idle(struct wl_event_loop *loop);

struct wl_shm_buffer *wl_shm_buffer_get(struct wl_resource *resource);
void wl_shm_buffer_begin_access(struct wl_shm_buffer *buffer);
void wl_shm_buffer_end_access(struct wl_shm_buffer *buffer);
void *wl_shm_buffer_get_data(struct wl_shm_buffer *buffer);
int32_t wl_shm_buffer_get_stride(struct wl_shm_buffer *buffer);
uint32_t wl_shm_buffer_get_format(struct wl_shm_buffer *buffer);
int32_t wl_shm_buffer_get_width(struct wl_shm_buffer *buffer);
int32_t wl_shm_buffer_get_height(struct wl_shm_buffer *buffer);

void wl_list_remove(struct wl_list *elm);
void wl_list_init(struct wl_list *list);
"""


def _server_library_path() -> str:
    """The libwayland-server file pywayland's extension module is linked against."""
    libs_dir = os.path.join(os.path.dirname(os.path.dirname(pywayland.__file__)), "pywayland.libs")
    bundled = sorted(glob.glob(os.path.join(libs_dir, "libwayland-server*.so*")))
    if bundled:
        return bundled[0]
    return "libwayland-server.so.0"  # a pywayland built against the system library


PREPARSED = "compositor.wl.native_ffi"
ffi = preparsed.ffi(PREPARSED, CDEF)
lib: Any = ffi.dlopen(_server_library_path())

NULL = ffi.NULL


def address(pointer: Any) -> int:
    """A C pointer from either cffi instance as a plain integer (for dict keys and casts)."""
    if isinstance(pointer, pywayland_ffi.CData):
        return int(pywayland_ffi.cast("uintptr_t", pointer))
    return int(ffi.cast("uintptr_t", pointer))
