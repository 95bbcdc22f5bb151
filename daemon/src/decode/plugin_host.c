#include "decode/plugin_host.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "decode/child.h"
#include "util/buf.h"
#include "util/fd.h"
#include "util/json.h"
#include "util/log.h"
#include "util/path.h"
#include "util/str.h"

/* A plugin folder or file that someone else could write is code anyone
 * could run as relevé: refuse it (sudo and nginx do the same). */
static const char *unsafe(const struct stat *st) {
  if (st->st_mode & (S_IWGRP | S_IWOTH))
    return "writable by group or others";
  if (st->st_uid != 0 && st->st_uid != geteuid())
    return "owned by another user";
  return NULL;
}

static int valid_name(const char *s) {
  if (s == NULL || *s == '\0' || strlen(s) > 64)
    return 0;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
      return 0;
  return 1;
}

static const char *check_options(const releve_option *o) {
  for (; o && o->name; o++) {
    if (*o->name == '\0' ||
        strspn(o->name, "abcdefghijklmnopqrstuvwxyz0123456789_-") != strlen(o->name))
      return "an option name is not made of [a-z0-9_-]";
    if (o->type < RELEVE_OPT_STRING || o->type > RELEVE_OPT_BOOL)
      return "an option has an unknown type";
  }
  return NULL;
}

/* Checks one opened plugin; returns why it is refused, or NULL. */
static char *check(const releve_plugins *p, releve_loaded_plugin *lp) {
  releve_plugin_entry_fn entry;
  const releve_plugin *d;
  const char *why;
  size_t i;

  *(void **)(&entry) = dlsym(lp->handle, RELEVE_PLUGIN_ENTRY);
  if (entry == NULL)
    return releve_str_printf("no %s symbol", RELEVE_PLUGIN_ENTRY);
  d = entry();
  if (d == NULL)
    return strdup("the entry returned no descriptor");
  if (d->abi_major != RELEVE_PLUGIN_ABI_MAJOR)
    return releve_str_printf("ABI %u, this relevé speaks ABI %d", d->abi_major,
                          RELEVE_PLUGIN_ABI_MAJOR);
  if (d->struct_size < RELEVE_PLUGIN_MIN_SIZE)
    return releve_str_printf("descriptor of %u bytes, at least %zu expected", d->struct_size,
                          (size_t)RELEVE_PLUGIN_MIN_SIZE);
  if (!valid_name(d->name))
    return strdup("name missing or not made of [a-z0-9-]");
  if (d->decode == NULL)
    return strdup("no decode function");
  if ((why = check_options(d->options)) != NULL)
    return strdup(why);
  for (i = 0; i < p->n; i++)
    if (p->items[i].desc && strcmp(p->items[i].desc->name, d->name) == 0)
      return releve_str_printf("name \"%s\" already taken by %s", d->name, p->items[i].file);
  lp->desc = d;
  return NULL;
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The probe child: loads and checks the plugin, writes "K" (fit) or "R"
 * and why it is refused, and leaves. */
static void probe_child(const releve_plugins *p, releve_loaded_plugin *lp, int out) {
  char *why;
  size_t off = 0, len;
  releve_child_setup();
  lp->handle = dlopen(lp->file, RTLD_NOW | RTLD_LOCAL);
  why = lp->handle ? check(p, lp) : releve_str_printf("cannot load: %s", dlerror());
  len = why ? strlen(why) : 0;
  if (write(out, why ? "R" : "K", 1) == 1)
    while (off < len) {
      ssize_t n = write(out, why + off, len - off);
      if (n <= 0)
        break;
      off += (size_t)n;
    }
  _exit(0);
}

/* Loads and checks the plugin in a child first: a constructor or entry
 * function that crashes, aborts, exits or hangs costs the child, never the
 * daemon or the command. Returns why it is refused (malloc'ed), or NULL
 * when the parent may load it; *broken is set when the plugin misbehaved
 * while loading (as opposed to being well-behaved but unfit). */
static char *probe(const releve_plugins *p, releve_loaded_plugin *lp, int *broken) {
  char msg[512];
  size_t got = 0;
  long long deadline = now_ms() + RELEVE_PLUGIN_PROBE_SECONDS * 1000;
  int fds[2], status = 0, timed_out = 0;
  pid_t pid, r;

  *broken = 0;
  if (pipe2(fds, O_CLOEXEC) != 0)
    return releve_str_printf("cannot be checked: %s", strerror(errno));
  fflush(stdout);
  fflush(stderr);
  pid = fork();
  if (pid == 0) {
    close(fds[0]);
    probe_child(p, lp, fds[1]);
  }
  close(fds[1]);
  if (pid < 0) {
    close(fds[0]);
    return releve_str_printf("cannot be checked: fork: %s", strerror(errno));
  }
  for (;;) {
    struct pollfd pf = {fds[0], POLLIN, 0};
    long long left = deadline - now_ms();
    ssize_t n;
    if (left <= 0) {
      timed_out = 1;
      break;
    }
    if (poll(&pf, 1, (int)left) < 0 && errno != EINTR)
      break;
    if (pf.revents == 0)
      continue;
    n = releve_fd_read(fds[0], msg + got, sizeof msg - 1 - got);
    if (n <= 0 || (got += (size_t)n) == sizeof msg - 1)
      break;
  }
  close(fds[0]);
  msg[got] = '\0';
  if (timed_out)
    kill(pid, SIGKILL);
  do
    r = waitpid(pid, &status, 0);
  while (r < 0 && errno == EINTR);
  if (timed_out || WIFSIGNALED(status) || got == 0)
    *broken = 1;
  if (timed_out)
    return releve_str_printf("did not finish loading within %d s (killed)",
                          RELEVE_PLUGIN_PROBE_SECONDS);
  if (r == pid && WIFSIGNALED(status))
    return releve_str_printf("crashed while loading: signal %d (%s)", WTERMSIG(status),
                          strsignal(WTERMSIG(status)));
  if (got == 0)
    return releve_str_printf("exited while loading (exit status %d)",
                          r == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  return msg[0] == 'K' ? NULL : strdup(msg + 1);
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_so(const char *dir, char ***names, size_t *n) {
  DIR *d = opendir(dir);
  struct dirent *e;
  size_t cap = 0;

  *names = NULL;
  *n = 0;
  if (d == NULL)
    return -errno;
  while ((e = readdir(d)) != NULL) {
    size_t len = strlen(e->d_name);
    if (len < 4 || strcmp(e->d_name + len - 3, ".so") != 0 || e->d_name[0] == '.')
      continue;
    if (*n == cap) {
      char **grown = realloc(*names, (cap = cap ? cap * 2 : 8) * sizeof *grown);
      if (grown == NULL)
        break;
      *names = grown;
    }
    (*names)[(*n)++] = strdup(e->d_name);
  }
  closedir(d);
  /* A stable order, so that "already taken" always names the same file. */
  qsort(*names, *n, sizeof **names, cmp_names);
  return 0;
}

int releve_plugins_load(releve_plugins *p, const char *dir) {
  struct stat st;
  char **names;
  size_t n, i;
  const char *why;
  int rc;

  memset(p, 0, sizeof *p);
  p->dir = strdup(dir);
  if (stat(dir, &st) != 0) {
    rc = -errno;
    releve_err("plugin folder %s: %s", dir, strerror(errno));
    return rc;
  }
  if ((why = unsafe(&st)) != NULL) {
    releve_err("plugin folder %s is %s: no plugin loaded from it", dir, why);
    return -EPERM;
  }
  rc = list_so(dir, &names, &n);
  if (rc) {
    releve_err("plugin folder %s: %s", dir, strerror(-rc));
    return rc;
  }
  p->items = calloc(n + 1, sizeof *p->items);
  for (i = 0; i < n && p->items; i++) {
    releve_loaded_plugin *lp = &p->items[p->n++];
    lp->file = releve_str_printf("%s/%s", dir, names[i]);
    if (lstat(lp->file, &st) != 0 || !S_ISREG(st.st_mode))
      lp->refused = strdup("not a regular file");
    else if ((why = unsafe(&st)) != NULL)
      lp->refused = strdup(why);
    else if ((lp->refused = probe(p, lp, &lp->broken)) != NULL)
      ;
    else if ((lp->handle = dlopen(lp->file, RTLD_NOW | RTLD_LOCAL)) == NULL)
      lp->refused = releve_str_printf("cannot load: %s", dlerror());
    else
      lp->refused = check(p, lp);
    if (lp->refused) {
      releve_err("plugin %s refused: %s", lp->file, lp->refused);
      if (lp->handle)
        dlclose(lp->handle);
      lp->handle = NULL;
      lp->desc = NULL;
    } else {
      releve_info("plugin %s %s loaded from %s", lp->desc->name,
                  lp->desc->version ? lp->desc->version : "", lp->file);
    }
  }
  for (i = 0; i < n; i++)
    free(names[i]);
  free(names);
  return p->items ? 0 : -ENOMEM;
}

void releve_plugins_unload(releve_plugins *p) {
  size_t i;
  for (i = 0; i < p->n; i++) {
    if (p->items[i].handle)
      dlclose(p->items[i].handle);
    free(p->items[i].file);
    free(p->items[i].refused);
  }
  free(p->items);
  free(p->dir);
  memset(p, 0, sizeof *p);
}

uint32_t releve_plugin_flags(const releve_plugin *plugin) {
  /* The host never reads past what the plugin was built with. */
  return RELEVE_PLUGIN_HAS(plugin, flags) ? plugin->flags : 0;
}

const releve_plugin *releve_plugins_find(const releve_plugins *p, const char *name) {
  size_t i;
  for (i = 0; i < p->n; i++)
    if (p->items[i].desc && strcmp(p->items[i].desc->name, name) == 0)
      return p->items[i].desc;
  return NULL;
}

const releve_loaded_plugin *releve_plugins_refused(const releve_plugins *p, const char *name) {
  size_t i, k;
  for (i = 0; i < p->n; i++) {
    const char *base = releve_path_basename(p->items[i].file);
    if (!p->items[i].refused || strlen(base) != strlen(name) + 3 ||
        strcmp(base + strlen(name), ".so") != 0)
      continue;
    for (k = 0; name[k] && (base[k] == name[k] || (base[k] == '_' && name[k] == '-')); k++)
      ;
    if (name[k] == '\0')
      return &p->items[i];
  }
  return NULL;
}

size_t releve_plugin_option_count(const releve_plugin *plugin) {
  size_t n = 0;
  const releve_option *o;
  for (o = plugin->options; o && o->name; o++)
    n++;
  return n;
}

/* Parses a value written as text (a default) into v. */
static int parse_text_value(const releve_option *o, const char *s, releve_option_value *v) {
  char *end;
  v->is_set = 1;
  switch (o->type) {
  case RELEVE_OPT_STRING: v->str = s; return 0;
  case RELEVE_OPT_INT:
    v->num = strtoll(s, &end, 10);
    return *s && *end == '\0' ? 0 : -EINVAL;
  case RELEVE_OPT_BOOL:
    v->flag = strcmp(s, "true") == 0;
    return v->flag || strcmp(s, "false") == 0 ? 0 : -EINVAL;
  }
  return -EINVAL;
}

int releve_plugin_options(const releve_plugin *plugin, json_t *options, const char *file,
                          const char *path, releve_diags *diags, releve_option_value *values) {
  static const char *const type_names[] = {"", "a string", "an integer", "true or false"};
  const releve_option *o;
  size_t n = releve_plugin_option_count(plugin), i = 0, errors = 0;
  const char *key;
  json_t *v;
  char where[512];

  memset(values, 0, n * sizeof *values);
  for (o = plugin->options; o && o->name; o++, i++)
    if (o->default_value && parse_text_value(o, o->default_value, &values[i]) != 0) {
      releve_diags_add(diags, RELEVE_DIAG_ERROR, file, path, 0, 0,
                       "plugin %s declares a bad default for option %s", plugin->name, o->name);
      errors++;
    }
  json_object_foreach(options, key, v) {
    releve_json_path(where, sizeof where, path, key);
    for (o = plugin->options, i = 0; o && o->name; o++, i++)
      if (strcmp(o->name, key) == 0)
        break;
    if (o == NULL || o->name == NULL) {
      releve_buf list = RELEVE_BUF_INIT;
      for (o = plugin->options; o && o->name; o++)
        releve_buf_addf(&list, "%s%s", o == plugin->options ? "" : ", ", o->name);
      releve_diags_add(diags, RELEVE_DIAG_ERROR, file, where, 0, 0,
                       "plugin %s has no option \"%s\"; its options are: %s", plugin->name, key,
                       list.data ? list.data : "none");
      releve_buf_free(&list);
      errors++;
      continue;
    }
    values[i].is_set = 1;
    if (o->type == RELEVE_OPT_STRING && json_is_string(v))
      values[i].str = json_string_value(v);
    else if (o->type == RELEVE_OPT_INT && json_is_integer(v))
      values[i].num = json_integer_value(v);
    else if (o->type == RELEVE_OPT_BOOL && json_is_boolean(v))
      values[i].flag = json_is_true(v);
    else {
      releve_diags_add(diags, RELEVE_DIAG_ERROR, file, where, 0, 0, "is %s; %s is expected (%s)",
                       releve_json_type_name(v), type_names[o->type],
                       o->help ? o->help : "see `releve plugins`");
      errors++;
    }
  }
  return errors ? -EINVAL : 0;
}
