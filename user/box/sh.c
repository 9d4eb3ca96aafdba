/* sh: the shell (issue 18 item 8), after xv6's sh.c (parse a command line into a tree,
 * then run the tree) but for the Linux ABI.
 *
 *   sh                  commands from standard input (prompt `$ ` when it is a terminal)
 *   sh -c CMD [ARG0 [ARG...]]
 *   sh SCRIPT [ARG...]
 *
 * Grammar: lists of and-or lists separated by `;`, `&` (background) or newlines; `&&`,
 * `||`; pipelines `a | b | c`; subshells `( list )`; simple commands of assignments
 * (`X=1`), words and redirections (`<`, `>`, `>>`, `N>`, `N<`, `N>>`, `N>&M`, `N<&M`,
 * `N>&-`). Words: '...' literal, "..." with $ expansion, \ escapes, $NAME, ${NAME}, $?,
 * $$, $!, $#, $0..$9, $@/$* (unquoted expansions are split at blanks), # comments.
 * Builtins: cd, exit [N], export, unset, wait [PID], `:`. Other commands are looked up
 * along PATH (execve of each entry; a file that is not an executable runs as a script).
 *
 * Signals: the shell holds off SIGINT and SIGQUIT while it waits for a foreground job;
 * the job's processes get the dispositions the shell started with. Without a terminal
 * (no job control), a SIGINT that reached the shell while the job died of it kills the
 * shell too, as bash does (^C stops a script). On a terminal the shell
 * also does job control: each job its own process group, the foreground one given the
 * terminal (tcsetpgrp), ^C at the prompt discards the line. A foreground job killed by a
 * signal is reported as dash and bash do (`Segmentation fault`, `Killed`; not for SIGINT
 * and SIGPIPE) and $? is 128 + the signal. */
#include "box.h"

#include <termios.h>

/* ------------------------------------------------------------------------------------ */
/* State. */

struct var {
    char *name, *value;
    int exported;
};

static struct var *vars;
static size_t nvars;

static char **params; /* $0, $1, ... */
static int nparams;
static int last_status;   /* $? */
static pid_t last_bg = 0; /* $! */
static int interactive;   /* stdin is a terminal and commands come from it: job control */
static pid_t shell_pgid;
static struct sigaction initial_int, initial_quit; /* what the shell was started with */
static volatile sig_atomic_t got_sigint;

static void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "sh: out of memory\n");
        exit(2);
    }
    return p;
}

static char *xstrdup(const char *s) {
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

static char *xstrndup(const char *s, size_t n) {
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static struct var *find_var(const char *name) {
    for (size_t i = 0; i < nvars; i++)
        if (strcmp(vars[i].name, name) == 0)
            return &vars[i];
    return NULL;
}

static void set_var(const char *name, const char *value, int export) {
    struct var *v = find_var(name);
    if (!v) {
        vars = realloc(vars, (nvars + 1) * sizeof *vars);
        if (!vars)
            exit(2);
        v = &vars[nvars++];
        v->name = xstrdup(name);
        v->value = NULL;
        v->exported = 0;
    }
    if (value) {
        free(v->value);
        v->value = xstrdup(value);
    }
    if (export)
        v->exported = 1;
}

static void unset_var(const char *name) {
    struct var *v = find_var(name);
    if (!v)
        return;
    free(v->name);
    free(v->value);
    *v = vars[--nvars];
}

static const char *get_var(const char *name) {
    struct var *v = find_var(name);
    return v ? v->value : NULL;
}

static int is_name_start(int c) {
    return isalpha(c) || c == '_';
}

static int is_name_char(int c) {
    return isalnum(c) || c == '_';
}

/* ------------------------------------------------------------------------------------ */
/* Growable strings and lists. */

struct buf {
    char *s;
    size_t len, room;
};

static void buf_add(struct buf *b, char c) {
    if (b->len + 2 > b->room) {
        b->room = b->room ? b->room * 2 : 64;
        b->s = realloc(b->s, b->room);
        if (!b->s)
            exit(2);
    }
    b->s[b->len++] = c;
    b->s[b->len] = '\0';
}

static void buf_adds(struct buf *b, const char *s) {
    while (*s)
        buf_add(b, *s++);
}

struct list {
    char **v;
    int n, room;
};

static void list_add(struct list *l, char *s) {
    if (l->n + 2 > l->room) {
        l->room = l->room ? l->room * 2 : 8;
        l->v = realloc(l->v, (size_t)l->room * sizeof *l->v);
        if (!l->v)
            exit(2);
    }
    l->v[l->n++] = s;
    l->v[l->n] = NULL;
}

static void list_free(struct list *l) {
    for (int i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->room = 0;
}

/* ------------------------------------------------------------------------------------ */
/* Lexer: turns text into tokens; words keep their quotes (expansion comes at run time). */

enum tok { T_EOF, T_NL, T_SEMI, T_AMP, T_ANDAND, T_PIPE, T_OROR, T_LPAREN, T_RPAREN, T_REDIR, T_WORD, T_ERROR };

enum redir_kind { R_IN, R_OUT, R_APPEND, R_DUP_OUT, R_DUP_IN };

struct token {
    enum tok type;
    char *word;         /* T_WORD: the raw text */
    int fd;             /* T_REDIR: the descriptor redirected */
    enum redir_kind rk; /* T_REDIR */
};

struct lexer {
    const char *s;
    size_t pos;
    int incomplete; /* ran out of text inside a quote */
};

static void skip_blanks(struct lexer *lx) {
    for (;;) {
        char c = lx->s[lx->pos];
        if (c == ' ' || c == '\t') {
            lx->pos++;
        } else if (c == '\\' && lx->s[lx->pos + 1] == '\n') {
            lx->pos += 2;
        } else if (c == '#') {
            while (lx->s[lx->pos] && lx->s[lx->pos] != '\n')
                lx->pos++;
        } else {
            return;
        }
    }
}

static int is_meta(char c) {
    return c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '<' ||
           c == '>' || c == '(' || c == ')';
}

static struct token next_token(struct lexer *lx) {
    struct token t = {.type = T_EOF};
    skip_blanks(lx);
    const char *s = lx->s;
    size_t p = lx->pos;
    switch (s[p]) {
    case '\0': return t;
    case '\n': lx->pos++; t.type = T_NL; return t;
    case ';': lx->pos++; t.type = T_SEMI; return t;
    case '(': lx->pos++; t.type = T_LPAREN; return t;
    case ')': lx->pos++; t.type = T_RPAREN; return t;
    case '&':
        lx->pos += s[p + 1] == '&' ? 2 : 1;
        t.type = s[p + 1] == '&' ? T_ANDAND : T_AMP;
        return t;
    case '|':
        lx->pos += s[p + 1] == '|' ? 2 : 1;
        t.type = s[p + 1] == '|' ? T_OROR : T_PIPE;
        return t;
    default: break;
    }
    /* A redirection: [digits] then < or >. */
    size_t q = p;
    while (isdigit((unsigned char)s[q]))
        q++;
    if (s[q] == '<' || s[q] == '>') {
        t.type = T_REDIR;
        t.fd = q > p ? atoi(s + p) : s[q] == '<' ? 0 : 1;
        if (s[q] == '<') {
            t.rk = s[q + 1] == '&' ? R_DUP_IN : R_IN;
            q += s[q + 1] == '&' ? 2 : 1;
        } else if (s[q + 1] == '>') {
            t.rk = R_APPEND;
            q += 2;
        } else if (s[q + 1] == '&') {
            t.rk = R_DUP_OUT;
            q += 2;
        } else {
            t.rk = R_OUT;
            q += s[q + 1] == '|' ? 2 : 1;
        }
        lx->pos = q;
        return t;
    }
    /* A word, quotes and all. */
    struct buf b = {0};
    while (!is_meta(s[p])) {
        char c = s[p];
        if (c == '\'') {
            buf_add(&b, s[p++]);
            while (s[p] && s[p] != '\'')
                buf_add(&b, s[p++]);
            if (!s[p]) {
                lx->incomplete = 1;
                free(b.s);
                t.type = T_ERROR;
                return t;
            }
            buf_add(&b, s[p++]);
        } else if (c == '"') {
            buf_add(&b, s[p++]);
            while (s[p] && s[p] != '"') {
                if (s[p] == '\\' && s[p + 1])
                    buf_add(&b, s[p++]);
                buf_add(&b, s[p++]);
            }
            if (!s[p]) {
                lx->incomplete = 1;
                free(b.s);
                t.type = T_ERROR;
                return t;
            }
            buf_add(&b, s[p++]);
        } else if (c == '\\') {
            if (s[p + 1] == '\n') {
                p += 2; /* a continued line */
            } else if (s[p + 1] == '\0') {
                p++;
            } else {
                buf_add(&b, s[p++]);
                buf_add(&b, s[p++]);
            }
        } else if (c == '$' && s[p + 1] == '{') {
            while (s[p] && s[p] != '}')
                buf_add(&b, s[p++]);
            if (!s[p]) {
                lx->incomplete = 1;
                free(b.s);
                t.type = T_ERROR;
                return t;
            }
            buf_add(&b, s[p++]);
        } else {
            buf_add(&b, s[p++]);
        }
    }
    lx->pos = p;
    if (!b.s) { /* only a continuation: read on */
        return next_token(lx);
    }
    t.type = T_WORD;
    t.word = b.s;
    return t;
}

/* ------------------------------------------------------------------------------------ */
/* Parser: the command tree. */

enum node_type { N_CMD, N_PIPE, N_AND, N_OR, N_SEQ, N_BG, N_SUB };

struct redir {
    int fd;
    enum redir_kind kind;
    char *word;
    struct redir *next;
};

struct node {
    enum node_type type;
    struct node *left, *right; /* N_PIPE, N_AND, N_OR, N_SEQ; left for N_BG, N_SUB */
    struct list words;         /* N_CMD: raw words, assignments first */
    struct redir *redirs;      /* N_CMD, N_SUB */
};

struct parser {
    struct lexer lx;
    struct token tok;
    int error; /* 1: syntax error; 2: the text ended too soon */
};

static void advance(struct parser *ps) {
    ps->tok = next_token(&ps->lx);
    if (ps->tok.type == T_ERROR)
        ps->error = ps->lx.incomplete ? 2 : 1;
}

static struct node *new_node(enum node_type type, struct node *l, struct node *r) {
    struct node *n = xmalloc(sizeof *n);
    memset(n, 0, sizeof *n);
    n->type = type;
    n->left = l;
    n->right = r;
    return n;
}

static void free_node(struct node *n) {
    if (!n)
        return;
    free_node(n->left);
    free_node(n->right);
    list_free(&n->words);
    for (struct redir *r = n->redirs, *next; r; r = next) {
        next = r->next;
        free(r->word);
        free(r);
    }
    free(n);
}

static void syntax_error(struct parser *ps, const char *what) {
    if (ps->error)
        return;
    if (ps->tok.type == T_EOF) {
        ps->error = 2; /* more text may complete it */
        return;
    }
    ps->error = 1;
    fprintf(stderr, "sh: syntax error: %s\n", what);
}

static struct node *parse_list(struct parser *ps, int in_parens);

static int parse_redir(struct parser *ps, struct redir ***tail) {
    struct redir *r = xmalloc(sizeof *r);
    r->fd = ps->tok.fd;
    r->kind = ps->tok.rk;
    r->next = NULL;
    advance(ps);
    if (ps->error)
        return free(r), -1;
    if (ps->tok.type != T_WORD) {
        free(r);
        syntax_error(ps, "a redirection needs a file name");
        return -1;
    }
    r->word = ps->tok.word;
    ps->tok.word = NULL;
    **tail = r;
    *tail = &r->next;
    advance(ps);
    return 0;
}

static struct node *parse_command(struct parser *ps) {
    if (ps->tok.type == T_LPAREN) {
        advance(ps);
        struct node *inner = parse_list(ps, 1);
        if (ps->error)
            return free_node(inner), NULL;
        if (ps->tok.type != T_RPAREN || !inner) {
            free_node(inner);
            syntax_error(ps, "( without )");
            return NULL;
        }
        advance(ps);
        struct node *n = new_node(N_SUB, inner, NULL);
        struct redir **tail = &n->redirs;
        while (!ps->error && ps->tok.type == T_REDIR)
            if (parse_redir(ps, &tail) < 0)
                break;
        if (ps->error)
            return free_node(n), NULL;
        return n;
    }
    struct node *n = new_node(N_CMD, NULL, NULL);
    struct redir **tail = &n->redirs;
    for (;;) {
        if (ps->error)
            break;
        if (ps->tok.type == T_WORD) {
            list_add(&n->words, ps->tok.word);
            ps->tok.word = NULL;
            advance(ps);
        } else if (ps->tok.type == T_REDIR) {
            if (parse_redir(ps, &tail) < 0)
                break;
        } else {
            break;
        }
    }
    if (ps->error)
        return free_node(n), NULL;
    if (n->words.n == 0 && !n->redirs) {
        free_node(n);
        syntax_error(ps, "a command was expected");
        return NULL;
    }
    return n;
}

static struct node *parse_pipeline(struct parser *ps) {
    struct node *n = parse_command(ps);
    while (n && !ps->error && ps->tok.type == T_PIPE) {
        advance(ps);
        while (!ps->error && ps->tok.type == T_NL)
            advance(ps);
        struct node *right = parse_command(ps);
        if (!right)
            return free_node(n), NULL;
        n = new_node(N_PIPE, n, right);
    }
    return ps->error ? (free_node(n), NULL) : n;
}

static struct node *parse_andor(struct parser *ps) {
    struct node *n = parse_pipeline(ps);
    while (n && !ps->error && (ps->tok.type == T_ANDAND || ps->tok.type == T_OROR)) {
        enum node_type type = ps->tok.type == T_ANDAND ? N_AND : N_OR;
        advance(ps);
        while (!ps->error && ps->tok.type == T_NL)
            advance(ps);
        struct node *right = parse_pipeline(ps);
        if (!right)
            return free_node(n), NULL;
        n = new_node(type, n, right);
    }
    return ps->error ? (free_node(n), NULL) : n;
}

/* A list: and-or lists separated by ; & (and newlines inside parentheses). At the top
 * level it stops after a newline: one line is run before the next is parsed. */
static struct node *parse_list(struct parser *ps, int in_parens) {
    struct node *list = NULL;
    for (;;) {
        if (ps->error)
            break;
        while (in_parens && ps->tok.type == T_NL)
            advance(ps);
        if (ps->tok.type == T_EOF || ps->tok.type == T_RPAREN || (!in_parens && ps->tok.type == T_NL))
            break;
        if (ps->error)
            break;
        struct node *n = parse_andor(ps);
        if (!n)
            break;
        if (ps->tok.type == T_AMP) {
            n = new_node(N_BG, n, NULL);
            advance(ps);
        } else if (ps->tok.type == T_SEMI) {
            advance(ps);
        } else if (ps->tok.type != T_NL && ps->tok.type != T_EOF && ps->tok.type != T_RPAREN) {
            free_node(n);
            syntax_error(ps, "unexpected token");
            break;
        }
        list = list ? new_node(N_SEQ, list, n) : n;
    }
    if (ps->error) {
        free_node(list);
        return NULL;
    }
    if (in_parens && ps->tok.type == T_EOF) {
        free_node(list);
        syntax_error(ps, "( without )");
        return NULL;
    }
    return list;
}

/* ------------------------------------------------------------------------------------ */
/* Expansion of words. */

struct fields {
    struct list out;
    struct buf cur;
    int have; /* the current field exists (even if empty: "") */
};

static void field_end(struct fields *f) {
    if (f->have) {
        list_add(&f->out, f->cur.s ? f->cur.s : xstrdup(""));
        f->cur.s = NULL;
        f->cur.len = f->cur.room = 0;
        f->have = 0;
    }
}

static void field_add(struct fields *f, const char *s, int split) {
    for (; *s; s++) {
        if (split && (*s == ' ' || *s == '\t' || *s == '\n')) {
            field_end(f);
        } else {
            buf_add(&f->cur, *s);
            f->have = 1;
        }
    }
}

/* The value of the parameter at raw[*i] (just after the '$'), advancing *i; NULL when
 * the '$' stands for itself. `store` holds a number's text. */
static const char *param_value(const char *raw, size_t *i, char *store, size_t size, int *all_params) {
    char c = raw[*i];
    *all_params = 0;
    if (c == '{') {
        size_t end = *i + 1;
        while (raw[end] && raw[end] != '}')
            end++;
        char *name = xstrndup(raw + *i + 1, end - *i - 1);
        *i = raw[end] ? end + 1 : end;
        const char *v = NULL;
        if (name[0] && isdigit((unsigned char)name[0])) {
            int k = atoi(name);
            v = k < nparams ? params[k] : "";
        } else if (strcmp(name, "?") == 0) {
            snprintf(store, size, "%d", last_status);
            v = store;
        } else {
            v = get_var(name);
        }
        free(name);
        return v ? v : "";
    }
    if (is_name_start((unsigned char)c)) {
        size_t end = *i;
        while (is_name_char((unsigned char)raw[end]))
            end++;
        char *name = xstrndup(raw + *i, end - *i);
        *i = end;
        const char *v = get_var(name);
        free(name);
        return v ? v : "";
    }
    (*i)++;
    switch (c) {
    case '?': snprintf(store, size, "%d", last_status); return store;
    case '$': snprintf(store, size, "%d", (int)getpid()); return store;
    case '!':
        if (!last_bg)
            return "";
        snprintf(store, size, "%d", (int)last_bg);
        return store;
    case '#': snprintf(store, size, "%d", nparams > 0 ? nparams - 1 : 0); return store;
    case '@':
    case '*': *all_params = 1; return "";
    default:
        if (isdigit((unsigned char)c))
            return c - '0' < nparams ? params[c - '0'] : "";
        (*i)--;
        return NULL;
    }
}

/* Expands one raw word into fields (split: unquoted expansions are split at blanks). */
static void expand(const char *raw, struct fields *f, int split) {
    char store[32];
    size_t i = 0;
    while (raw[i]) {
        char c = raw[i];
        if (c == '\'') {
            i++;
            f->have = 1;
            while (raw[i] && raw[i] != '\'')
                buf_add(&f->cur, raw[i++]);
            if (raw[i])
                i++;
        } else if (c == '"') {
            i++;
            f->have = 1;
            while (raw[i] && raw[i] != '"') {
                if (raw[i] == '\\' && strchr("$`\"\\", raw[i + 1])) {
                    buf_add(&f->cur, raw[i + 1]);
                    i += 2;
                } else if (raw[i] == '$') {
                    i++;
                    int all;
                    const char *v = param_value(raw, &i, store, sizeof store, &all);
                    if (all) {
                        for (int k = 1; k < nparams; k++) {
                            if (k > 1)
                                buf_add(&f->cur, ' ');
                            field_add(f, params[k], 0);
                        }
                    } else if (v) {
                        field_add(f, v, 0);
                    } else {
                        buf_add(&f->cur, '$');
                    }
                } else {
                    buf_add(&f->cur, raw[i++]);
                }
            }
            if (raw[i])
                i++;
        } else if (c == '\\' && raw[i + 1]) {
            buf_add(&f->cur, raw[i + 1]);
            f->have = 1;
            i += 2;
        } else if (c == '$') {
            i++;
            int all;
            const char *v = param_value(raw, &i, store, sizeof store, &all);
            if (all) {
                for (int k = 1; k < nparams; k++) {
                    if (split)
                        field_end(f);
                    else if (k > 1)
                        field_add(f, " ", 0);
                    field_add(f, params[k], split);
                }
            } else if (v) {
                field_add(f, v, split);
            } else {
                buf_add(&f->cur, '$');
                f->have = 1;
            }
        } else {
            buf_add(&f->cur, c);
            f->have = 1;
            i++;
        }
    }
}

/* A word expanded to exactly one string (assignments, redirection targets); NULL when it
 * makes several fields (an ambiguous redirection). */
static char *expand_one(const char *raw, int split) {
    struct fields f = {0};
    expand(raw, &f, split);
    field_end(&f);
    if (f.out.n > 1) {
        list_free(&f.out);
        return NULL;
    }
    char *s = f.out.n == 1 ? f.out.v[0] : xstrdup("");
    free(f.out.v);
    return s;
}

/* NAME=... with an unquoted NAME: the length of NAME, else 0. */
static size_t assignment_name(const char *word) {
    if (!is_name_start((unsigned char)word[0]))
        return 0;
    size_t n = 1;
    while (is_name_char((unsigned char)word[n]))
        n++;
    return word[n] == '=' ? n : 0;
}

/* ------------------------------------------------------------------------------------ */
/* Running. */

static int run(struct node *n, int in_child);

static void flush_all(void) {
    fflush(stdout);
    fflush(stderr);
}

/* Applies redirections; with `saved` (in the shell itself, for builtins) the old
 * descriptors are kept there (fd, copy pairs) to be restored. 0, or -1 after a message. */
struct saved_fd {
    int fd, copy;
};

static int apply_redirs(struct redir *r, struct saved_fd *saved, int *nsaved, int max_saved) {
    for (; r; r = r->next) {
        char *target = expand_one(r->word, 1);
        if (!target) {
            fprintf(stderr, "sh: %s: ambiguous redirect\n", r->word);
            return -1;
        }
        int fd = -1;
        if (r->kind == R_DUP_OUT || r->kind == R_DUP_IN) {
            if (strcmp(target, "-") != 0) {
                char *end;
                long from = strtol(target, &end, 10);
                if (*end || end == target || from < 0) {
                    fprintf(stderr, "sh: %s: bad file descriptor\n", target);
                    free(target);
                    return -1;
                }
                fd = (int)from;
                if (fcntl(fd, F_GETFD) < 0) {
                    fprintf(stderr, "sh: %d: %s\n", fd, strerror(errno));
                    free(target);
                    return -1;
                }
            }
        } else {
            int flags = r->kind == R_IN ? O_RDONLY : r->kind == R_OUT ? O_WRONLY | O_CREAT | O_TRUNC : O_WRONLY | O_CREAT | O_APPEND;
            fd = open(target, flags, 0666);
            if (fd < 0) {
                fprintf(stderr, "sh: cannot %s %s: %s\n", r->kind == R_IN ? "open" : "create", target, strerror(errno));
                free(target);
                return -1;
            }
        }
        free(target);
        if (saved && *nsaved < max_saved) {
            saved[*nsaved].fd = r->fd;
            saved[*nsaved].copy = fcntl(r->fd, F_DUPFD_CLOEXEC, 10);
            (*nsaved)++;
        }
        if (fd < 0) {
            close(r->fd);
        } else if (fd != r->fd) {
            if (dup2(fd, r->fd) < 0) {
                fprintf(stderr, "sh: %d: %s\n", r->fd, strerror(errno));
                return -1;
            }
            if (r->kind != R_DUP_OUT && r->kind != R_DUP_IN)
                close(fd);
        }
    }
    return 0;
}

static void restore_fds(struct saved_fd *saved, int n) {
    while (n-- > 0) {
        if (saved[n].copy >= 0) {
            dup2(saved[n].copy, saved[n].fd);
            close(saved[n].copy);
        } else {
            close(saved[n].fd);
        }
    }
}

/* The environment for execve: exported variables, overridden by `assigns`. */
static char **make_env(struct list *assigns) {
    struct list env = {0};
    for (size_t i = 0; i < nvars; i++) {
        if (!vars[i].exported || !vars[i].value)
            continue;
        int overridden = 0;
        size_t len = strlen(vars[i].name);
        for (int k = 0; k < assigns->n; k++)
            if (strncmp(assigns->v[k], vars[i].name, len) == 0 && assigns->v[k][len] == '=')
                overridden = 1;
        if (overridden)
            continue;
        struct buf b = {0};
        buf_adds(&b, vars[i].name);
        buf_add(&b, '=');
        buf_adds(&b, vars[i].value);
        list_add(&env, b.s);
    }
    for (int k = 0; k < assigns->n; k++)
        list_add(&env, xstrdup(assigns->v[k]));
    if (!env.v)
        list_add(&env, NULL), env.n = 0;
    return env.v;
}

/* In a child: restores the signal dispositions the shell started with. */
static void child_signals(void) {
    sigaction(SIGINT, &initial_int, NULL);
    sigaction(SIGQUIT, &initial_quit, NULL);
    if (interactive) {
        signal(SIGTSTP, SIG_DFL);
        signal(SIGTTIN, SIG_DFL);
        signal(SIGTTOU, SIG_DFL);
    }
}

/* execve along PATH; returns only on failure, with the exit status to use. */
static int exec_command(char **argv, char **env) {
    const char *name = argv[0];
    int err = ENOENT;
    if (strchr(name, '/')) {
        execve(name, argv, env);
        err = errno;
        if (err == ENOEXEC) {
            int argc = 0;
            while (argv[argc])
                argc++;
            char **script = xmalloc(((size_t)argc + 2) * sizeof *script);
            script[0] = "sh";
            script[1] = (char *)name;
            for (int k = 1; k <= argc; k++)
                script[k + 1] = argv[k];
            execve("/bin/sh", script, env);
            err = errno;
        }
    } else {
        const char *path = get_var("PATH");
        if (!path)
            path = "/bin:/usr/bin";
        int denied = 0;
        for (const char *p = path;;) {
            const char *colon = strchr(p, ':');
            size_t len = colon ? (size_t)(colon - p) : strlen(p);
            char full[PATH_MAX];
            if (len == 0)
                snprintf(full, sizeof full, "%s", name);
            else
                snprintf(full, sizeof full, "%.*s/%s", (int)len, p, name);
            execve(full, argv, env);
            if (errno == ENOEXEC) {
                argv[0] = full;
                return exec_command(argv, env);
            }
            if (errno == EACCES)
                denied = 1;
            else if (errno != ENOENT && errno != ENOTDIR)
                err = errno;
            if (!colon)
                break;
            p = colon + 1;
        }
        if (denied && err == ENOENT)
            err = EACCES;
    }
    if (err == ENOENT) {
        fprintf(stderr, "sh: %s: not found\n", name);
        return 127;
    }
    fprintf(stderr, "sh: %s: %s\n", name, strerror(err));
    return 126;
}

/* The status of a waited process as $? has it; reports a fatal signal. */
static int status_of(int ws, int report) {
    if (WIFEXITED(ws))
        return WEXITSTATUS(ws);
    if (WIFSIGNALED(ws)) {
        int sig = WTERMSIG(ws);
        if (report) {
            if (sig == SIGINT) {
                if (interactive)
                    fputc('\n', stderr);
            } else if (sig != SIGPIPE) {
                fprintf(stderr, "%s%s\n", strsignal(sig), WCOREDUMP(ws) ? " (core dumped)" : "");
            }
        }
        return 128 + sig;
    }
    if (WIFSTOPPED(ws)) {
        if (report)
            fprintf(stderr, "\nStopped\n");
        return 128 + WSTOPSIG(ws);
    }
    return 1;
}

static volatile sig_atomic_t int_while_waiting;

static void on_wait_sigint(int sig) {
    (void)sig;
    int_while_waiting = 1;
}

/* A foreground job's SIGINT and SIGQUIT are blocked from its first fork until wait_job
 * has its hold in place (a child that signals the shell at once, as `kill -INT $$` does,
 * must meet the hold, not the shell's own disposition), and in each child until its
 * dispositions are back. */
static sigset_t job_signals_saved;
static int job_signals_blocked;

static void block_job_signals(void) {
    if (job_signals_blocked)
        return;
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGINT);
    sigaddset(&s, SIGQUIT);
    sigprocmask(SIG_BLOCK, &s, &job_signals_saved);
    job_signals_blocked = 1;
}

static void unblock_job_signals(void) {
    if (!job_signals_blocked)
        return;
    job_signals_blocked = 0;
    sigprocmask(SIG_SETMASK, &job_signals_saved, NULL);
}

/* Waits for a foreground job's processes (the last one's status is the job's) with
 * SIGINT and SIGQUIT held off, then takes the terminal back. Without job control a ^C
 * reaches the shell too: like bash, the shell then dies of SIGINT as well if the job
 * did (so ^C stops a script), and goes on if the job handled it. */
static int wait_job(pid_t *pids, int n) {
    struct sigaction hold = {.sa_handler = SIG_IGN}, old_int, old_quit;
    sigemptyset(&hold.sa_mask);
    sigaction(SIGQUIT, &hold, &old_quit);
    if (!interactive && initial_int.sa_handler != SIG_IGN) {
        hold.sa_handler = on_wait_sigint;
        hold.sa_flags = SA_RESTART;
    }
    int_while_waiting = 0;
    sigaction(SIGINT, &hold, &old_int);
    unblock_job_signals();
    int status = 0, last_ws = 0;
    for (int k = 0; k < n; k++) {
        int ws;
        pid_t r;
        while ((r = waitpid(pids[k], &ws, interactive ? WUNTRACED : 0)) < 0 && errno == EINTR)
            ;
        if (r < 0)
            continue;
        if (k == n - 1) {
            status = status_of(ws, 1);
            last_ws = ws;
        }
    }
    if (interactive)
        tcsetpgrp(0, shell_pgid);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    if (int_while_waiting && WIFSIGNALED(last_ws) && WTERMSIG(last_ws) == SIGINT) {
        flush_all();
        signal(SIGINT, SIG_DFL);
        kill(getpid(), SIGINT);
    }
    return status;
}

/* In a new child: its process group (job control) and signal dispositions. */
static void setup_child(pid_t *pgid, int foreground) {
    if (interactive) {
        pid_t me = getpid();
        setpgid(0, *pgid ? *pgid : me);
        if (foreground && !*pgid)
            tcsetpgrp(0, me);
    }
    child_signals();
    interactive = 0; /* a child never does job control of its own */
}

/* Forks a child of a job: in the parent also puts it in the job's group. */
static pid_t fork_child(pid_t *pgid, int foreground) {
    flush_all();
    if (foreground)
        block_job_signals();
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "sh: fork: %s\n", strerror(errno));
        unblock_job_signals();
        return -1;
    }
    if (pid == 0) {
        setup_child(pgid, foreground);
        unblock_job_signals();
        return 0;
    }
    if (interactive) {
        if (!*pgid)
            *pgid = pid;
        setpgid(pid, *pgid);
        if (foreground && *pgid == pid)
            tcsetpgrp(0, pid);
    }
    return pid;
}

static int builtin_cd(char **argv) {
    const char *dir = argv[1] ? argv[1] : get_var("HOME");
    if (!dir || !*dir) {
        fprintf(stderr, "sh: cd: HOME not set\n");
        return 1;
    }
    if (chdir(dir) != 0) {
        fprintf(stderr, "sh: cd: can't cd to %s: %s\n", dir, strerror(errno));
        return 1;
    }
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd))
        set_var("PWD", cwd, 0);
    return 0;
}

static int builtin_exit(char **argv) {
    int status = last_status;
    if (argv[1]) {
        char *end;
        long n = strtol(argv[1], &end, 10);
        if (*end || end == argv[1] || n < 0) {
            fprintf(stderr, "sh: exit: illegal number: %s\n", argv[1]);
            status = 2;
        } else {
            status = (int)(n & 255);
        }
    }
    flush_all();
    exit(status);
}

static int builtin_export(char **argv) {
    if (!argv[1]) {
        for (size_t i = 0; i < nvars; i++)
            if (vars[i].exported)
                printf("export %s='%s'\n", vars[i].name, vars[i].value ? vars[i].value : "");
        return 0;
    }
    for (int i = 1; argv[i]; i++) {
        char *eq = strchr(argv[i], '=');
        if (eq) {
            *eq = '\0';
            set_var(argv[i], eq + 1, 1);
            *eq = '=';
        } else {
            set_var(argv[i], NULL, 1);
        }
    }
    return 0;
}

static int builtin_unset(char **argv) {
    for (int i = 1; argv[i]; i++)
        unset_var(argv[i]);
    return 0;
}

static int builtin_wait(char **argv) {
    if (!argv[1]) {
        int ws;
        while (wait(&ws) > 0 || errno == EINTR)
            ;
        return 0;
    }
    int status = 0;
    for (int i = 1; argv[i]; i++) {
        int ws;
        pid_t r;
        while ((r = waitpid((pid_t)atoi(argv[i]), &ws, 0)) < 0 && errno == EINTR)
            ;
        status = r < 0 ? 127 : status_of(ws, 0);
    }
    return status;
}

typedef int (*builtin_fn)(char **);

static builtin_fn find_builtin(const char *name) {
    if (strcmp(name, "cd") == 0)
        return builtin_cd;
    if (strcmp(name, "exit") == 0)
        return builtin_exit;
    if (strcmp(name, "export") == 0)
        return builtin_export;
    if (strcmp(name, "unset") == 0)
        return builtin_unset;
    if (strcmp(name, "wait") == 0)
        return builtin_wait;
    return NULL;
}

/* A simple command. in_child: this process may become the command (no fork needed). */
static int run_command(struct node *n, int in_child) {
    struct list assigns = {0};
    struct fields f = {0};
    int k = 0;
    while (k < n->words.n && assignment_name(n->words.v[k]))
        k++;
    /* Assignments alone set shell variables, each before the next is expanded. */
    int alone = k == n->words.n;
    for (k = 0; k < n->words.n && assignment_name(n->words.v[k]); k++) {
        const char *w = n->words.v[k];
        size_t len = assignment_name(w);
        char *value = expand_one(w + len + 1, 0);
        if (alone) {
            char *name = xstrndup(w, len);
            set_var(name, value, 0);
            free(name);
        }
        struct buf b = {0};
        buf_adds(&b, "");
        for (size_t c = 0; c < len; c++)
            buf_add(&b, w[c]);
        buf_add(&b, '=');
        buf_adds(&b, value);
        free(value);
        list_add(&assigns, b.s);
    }
    for (; k < n->words.n; k++) {
        expand(n->words.v[k], &f, 1);
        field_end(&f);
    }
    struct list *argv = &f.out;
    int status = 0;

    if (argv->n == 0 || find_builtin(argv->v[0]) || strcmp(argv->v[0], ":") == 0) {
        /* In the shell itself: assignments set shell variables (exported ones stay
         * exported), redirections last only for the builtin. */
        struct saved_fd saved[16];
        int nsaved = 0;
        flush_all();
        if (apply_redirs(n->redirs, saved, &nsaved, 16) != 0) {
            status = 1;
        } else if (argv->n > 0 && strcmp(argv->v[0], ":") != 0) {
            status = find_builtin(argv->v[0])(argv->v);
        }
        flush_all();
        restore_fds(saved, nsaved);
        list_free(&assigns);
        list_free(argv);
        return status;
    }

    pid_t pgid = 0;
    pid_t pid = in_child ? 0 : fork_child(&pgid, 1);
    if (pid < 0) {
        status = 2;
    } else if (pid == 0) {
        if (apply_redirs(n->redirs, NULL, NULL, 0) != 0)
            _exit(1);
        char **env = make_env(&assigns);
        int code = exec_command(argv->v, env);
        fflush(stderr);
        _exit(code);
    } else {
        status = wait_job(&pid, 1);
    }
    list_free(&assigns);
    list_free(argv);
    return status;
}

/* Flattens a pipeline tree (left-leaning) into its commands, in order. */
static int pipeline_parts(struct node *n, struct node **parts, int max) {
    if (n->type != N_PIPE) {
        if (max < 1)
            return 0;
        parts[0] = n;
        return 1;
    }
    int k = pipeline_parts(n->left, parts, max);
    if (k < max)
        parts[k++] = n->right;
    return k;
}

static int run_pipeline(struct node *n) {
    struct node *parts[64];
    int count = pipeline_parts(n, parts, 64);
    pid_t pids[64], pgid = 0;
    int started = 0, in = -1;
    for (int k = 0; k < count; k++) {
        int p[2] = {-1, -1};
        if (k < count - 1 && pipe2(p, O_CLOEXEC) != 0) {
            fprintf(stderr, "sh: pipe: %s\n", strerror(errno));
            break;
        }
        pid_t pid = fork_child(&pgid, 1);
        if (pid == 0) {
            if (in >= 0) {
                dup2(in, 0);
                close(in);
            }
            if (p[1] >= 0) {
                dup2(p[1], 1);
                close(p[1]);
                close(p[0]);
            }
            int status = run(parts[k], 1);
            flush_all();
            _exit(status);
        }
        if (in >= 0)
            close(in);
        if (p[1] >= 0)
            close(p[1]);
        in = p[0];
        if (pid < 0) {
            if (in >= 0)
                close(in);
            break;
        }
        pids[started++] = pid;
    }
    if (in >= 0)
        close(in);
    if (started < count) {
        wait_job(pids, started);
        return 2;
    }
    return wait_job(pids, started);
}

static void reap_background(void) {
    int ws;
    pid_t pid;
    while ((pid = waitpid(-1, &ws, WNOHANG)) > 0)
        if (interactive)
            fprintf(stderr, "[%d] Done\n", (int)pid);
}

static int run(struct node *n, int in_child) {
    switch (n->type) {
    case N_CMD: last_status = run_command(n, in_child); break;
    case N_PIPE: last_status = run_pipeline(n); break;
    case N_AND:
        run(n->left, 0);
        if (last_status == 0)
            run(n->right, in_child);
        break;
    case N_OR:
        run(n->left, 0);
        if (last_status != 0)
            run(n->right, in_child);
        break;
    case N_SEQ:
        run(n->left, 0);
        run(n->right, in_child);
        break;
    case N_BG: {
        pid_t pgid = 0;
        pid_t pid = fork_child(&pgid, 0);
        if (pid == 0) {
            if (!interactive) {
                /* As POSIX has it without job control: SIGINT and SIGQUIT ignored,
                 * standard input /dev/null. */
                signal(SIGINT, SIG_IGN);
                signal(SIGQUIT, SIG_IGN);
                int null = open("/dev/null", O_RDONLY);
                if (null >= 0) {
                    dup2(null, 0);
                    if (null != 0)
                        close(null);
                }
            }
            int status = run(n->left, 1);
            flush_all();
            _exit(status);
        }
        if (pid > 0) {
            last_bg = pid;
            if (interactive)
                fprintf(stderr, "[%d]\n", (int)pid);
        }
        last_status = pid > 0 ? 0 : 2;
        break;
    }
    case N_SUB: {
        pid_t pgid = 0;
        pid_t pid = in_child ? 0 : fork_child(&pgid, 1);
        if (pid == 0) {
            if (apply_redirs(n->redirs, NULL, NULL, 0) != 0)
                _exit(1);
            int status = run(n->left, 0);
            flush_all();
            _exit(status);
        }
        last_status = pid > 0 ? wait_job(&pid, 1) : 2;
        break;
    }
    }
    return last_status;
}

/* ------------------------------------------------------------------------------------ */
/* Input. */

/* Parses and runs what `text` holds from *pos: returns 0 when it has all run, 2 when the
 * text ends inside a command (more input is needed: *pos stays at its start), 1 on a
 * syntax error (*pos past the offending line). */
static int run_text(const char *text, size_t *pos) {
    for (;;) {
        struct parser ps = {.lx = {.s = text, .pos = *pos}};
        advance(&ps);
        while (!ps.error && ps.tok.type == T_NL) {
            *pos = ps.lx.pos;
            advance(&ps);
        }
        if (!ps.error && ps.tok.type == T_EOF) {
            *pos = ps.lx.pos;
            return 0;
        }
        struct node *n = ps.error ? NULL : parse_list(&ps, 0);
        if (!ps.error && ps.tok.type == T_RPAREN) {
            free_node(n);
            n = NULL;
            syntax_error(&ps, ") without (");
        }
        free(ps.tok.word);
        if (ps.error == 2)
            return 2;
        if (ps.error) {
            /* Past the rest of the line. */
            size_t p = ps.lx.pos;
            while (text[p] && text[p] != '\n')
                p++;
            *pos = text[p] ? p + 1 : p;
            last_status = 2;
            return 1;
        }
        *pos = ps.lx.pos;
        if (n) {
            run(n, 0);
            free_node(n);
        }
        if (interactive)
            reap_background();
    }
}

static void on_sigint(int sig) {
    (void)sig;
    got_sigint = 1;
}

/* Reads commands from fd 0 a byte at a time (so that what the commands themselves read
 * is left to them), a line at a time. */
static int run_stdin(void) {
    struct buf text = {0};
    size_t pos = 0;
    int more = 0;
    for (;;) {
        if (interactive) {
            reap_background();
            fputs(more ? "> " : "$ ", stderr);
            fflush(stderr);
        }
        int eof = 0;
        for (;;) {
            char c;
            ssize_t r = read(0, &c, 1);
            if (r < 0 && errno == EINTR) {
                if (got_sigint) {
                    got_sigint = 0;
                    fputc('\n', stderr);
                    text.len = pos = 0;
                    if (text.s)
                        text.s[0] = '\0';
                    more = 0;
                    fputs("$ ", stderr);
                    fflush(stderr);
                }
                continue;
            }
            if (r <= 0) {
                eof = 1;
                break;
            }
            buf_add(&text, c);
            if (c == '\n')
                break;
        }
        if (text.s) {
            int r = run_text(text.s, &pos);
            more = r == 2 && !eof;
            if (r == 2 && eof) {
                fprintf(stderr, "sh: syntax error: unexpected end of input\n");
                last_status = 2;
            }
            if (!more) {
                text.len = pos = 0;
                text.s[0] = '\0';
                if (r == 1 && !interactive)
                    return 2;
            }
        }
        if (eof)
            break;
    }
    if (interactive)
        fputc('\n', stderr);
    return last_status;
}

static int run_string(const char *text) {
    size_t pos = 0;
    int r = run_text(text, &pos);
    if (r == 2) {
        fprintf(stderr, "sh: syntax error: unexpected end of input\n");
        return 2;
    }
    return r == 1 ? 2 : last_status;
}

static char *read_whole(int fd) {
    struct buf b = {0};
    char chunk[4096];
    ssize_t n;
    buf_adds(&b, "");
    while ((n = read(fd, chunk, sizeof chunk)) > 0 || (n < 0 && errno == EINTR))
        for (ssize_t i = 0; i < n; i++)
            buf_add(&b, chunk[i]);
    return b.s;
}

int sh_main(int argc, char **argv) {
    for (char **e = environ; e && *e; e++) {
        char *eq = strchr(*e, '=');
        if (!eq)
            continue;
        char *name = xstrndup(*e, (size_t)(eq - *e));
        set_var(name, eq + 1, 1);
        free(name);
    }
    sigaction(SIGINT, NULL, &initial_int);
    sigaction(SIGQUIT, NULL, &initial_quit);

    const char *command = NULL, *script = NULL;
    int first_param = 1;
    if (argc > 2 && strcmp(argv[1], "-c") == 0) {
        command = argv[2];
        first_param = 3;
    } else if (argc > 1 && strcmp(argv[1], "-c") == 0) {
        fprintf(stderr, "sh: -c requires an argument\n");
        return 2;
    } else if (argc > 1 && strcmp(argv[1], "-s") != 0) {
        script = argv[1];
        first_param = 1;
    }
    /* $0: the shell's name, the script's, or -c's first argument after the command. */
    struct list p = {0};
    if (command) {
        list_add(&p, xstrdup(argc > 3 ? argv[3] : argv[0]));
        for (int i = 4; i < argc; i++)
            list_add(&p, xstrdup(argv[i]));
    } else if (script) {
        for (int i = first_param; i < argc; i++)
            list_add(&p, xstrdup(argv[i]));
    } else {
        list_add(&p, xstrdup(argv[0]));
        for (int i = 2; i < argc; i++)
            list_add(&p, xstrdup(argv[i]));
    }
    params = p.v;
    nparams = p.n;

    if (command)
        return run_string(command);
    if (script) {
        int fd = open(script, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            fprintf(stderr, "sh: cannot open %s: %s\n", script, strerror(errno));
            return 127;
        }
        char *text = read_whole(fd);
        close(fd);
        int status = run_string(text);
        free(text);
        flush_all();
        return status;
    }

    interactive = isatty(0);
    if (interactive) {
        /* Job control: wait to be in the foreground, then take a group of our own. */
        while (tcgetpgrp(0) != (shell_pgid = getpgrp()))
            kill(-shell_pgid, SIGTTIN);
        signal(SIGTSTP, SIG_IGN);
        signal(SIGTTIN, SIG_IGN);
        signal(SIGTTOU, SIG_IGN);
        shell_pgid = getpid();
        setpgid(0, shell_pgid);
        tcsetpgrp(0, shell_pgid);
        struct sigaction sa = {.sa_handler = on_sigint};
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL); /* no SA_RESTART: a read at the prompt is interrupted */
        signal(SIGQUIT, SIG_IGN);
    }
    int status = run_stdin();
    flush_all();
    return status;
}
