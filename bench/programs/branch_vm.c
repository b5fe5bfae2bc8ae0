/* branch_vm: branches.
 * A small register-machine bytecode interpreter (switch dispatch, one indirect jump per virtual
 * instruction) running two guest programs, Collatz chain lengths and a sieve of Eratosthenes, followed by
 * a hand-written lexer (a character-class state machine) over generated program-like text.
 * Stresses unpredictable branches, br_table/switch lowering and short basic blocks. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef BENCH_SMALL
#define COLLATZ_N 5000
#define SIEVE_N 20000
#define SIEVE_REPS 2
#define TEXT_BYTES (1u << 16)
#define LEX_REPS 2
#else
#define COLLATZ_N 150000
#define SIEVE_N 400000
#define SIEVE_REPS 8
#define TEXT_BYTES (1u << 21)
#define LEX_REPS 6
#endif

/* ---------------- the virtual machine ---------------- */
/* clang-format off: one line per opcode reads better as a table */
enum Op {
  OP_LI,
  OP_MOV,
  OP_ADD,
  OP_ADDI,
  OP_SUB,
  OP_MUL,
  OP_ANDI,
  OP_XOR,
  OP_SHRI,
  OP_SHLI,
  OP_LD,
  OP_ST,
  OP_JMP,
  OP_BEQ,
  OP_BNE,
  OP_BLTU,
  OP_BEQZ,
  OP_BNEZ,
  OP_HALT
};
/* clang-format on */

typedef struct {
  uint8_t op, a, b, c;
  int32_t imm;
} Insn;

#define MAX_CODE 256
static Insn code[MAX_CODE];
static int code_len;

static int emit(uint8_t op, uint8_t a, uint8_t b, uint8_t c, int32_t imm) {
  code[code_len] = (Insn){op, a, b, c, imm};
  return code_len++;
}
static void patch(int at, int target) {
  code[at].imm = target;
}

static uint64_t vm_steps;

static void vm_run(uint32_t* r, uint32_t* mem) {
  int pc = 0;
  uint64_t steps = 0;
  for (;;) {
    const Insn* i = &code[pc++];
    steps++;
    /* clang-format off */
    switch (i->op) {
      case OP_LI: r[i->a] = (uint32_t)i->imm; break;
      case OP_MOV: r[i->a] = r[i->b]; break;
      case OP_ADD: r[i->a] = r[i->b] + r[i->c]; break;
      case OP_ADDI: r[i->a] = r[i->b] + (uint32_t)i->imm; break;
      case OP_SUB: r[i->a] = r[i->b] - r[i->c]; break;
      case OP_MUL: r[i->a] = r[i->b] * r[i->c]; break;
      case OP_ANDI: r[i->a] = r[i->b] & (uint32_t)i->imm; break;
      case OP_XOR: r[i->a] = r[i->b] ^ r[i->c]; break;
      case OP_SHRI: r[i->a] = r[i->b] >> (i->imm & 31); break;
      case OP_SHLI: r[i->a] = r[i->b] << (i->imm & 31); break;
      case OP_LD: r[i->a] = mem[r[i->b] + (uint32_t)i->imm]; break;
      case OP_ST: mem[r[i->b] + (uint32_t)i->imm] = r[i->a]; break;
      case OP_JMP: pc = i->imm; break;
      case OP_BEQ: if (r[i->a] == r[i->b]) pc = i->imm; break;
      case OP_BNE: if (r[i->a] != r[i->b]) pc = i->imm; break;
      case OP_BLTU: if (r[i->a] < r[i->b]) pc = i->imm; break;
      case OP_BEQZ: if (r[i->a] == 0) pc = i->imm; break;
      case OP_BNEZ: if (r[i->a] != 0) pc = i->imm; break;
      case OP_HALT: vm_steps += steps; return;
      default: printf("bad opcode %d\n", i->op); exit(1);
    }
    /* clang-format on */
  }
}

/* r0 = sum of chain lengths, r1 = longest chain, r2 = its start, for n in [1, limit]. */
static void assemble_collatz(uint32_t limit) {
  code_len = 0;
  emit(OP_LI, 0, 0, 0, 0); /* sum */
  emit(OP_LI, 1, 0, 0, 0); /* best */
  emit(OP_LI, 2, 0, 0, 0); /* best_n */
  emit(OP_LI, 3, 0, 0, 1); /* n */
  emit(OP_LI, 4, 0, 0, (int32_t)limit + 1);
  emit(OP_LI, 9, 0, 0, 1);              /* constant 1 */
  int outer = emit(OP_MOV, 5, 3, 0, 0); /* x = n */
  emit(OP_LI, 6, 0, 0, 0);              /* len = 0 */
  int inner = emit(OP_BEQ, 5, 9, 0, 0); /* while x != 1 */
  emit(OP_ANDI, 7, 5, 0, 1);
  int odd = emit(OP_BNEZ, 7, 0, 0, 0);
  emit(OP_SHRI, 5, 5, 0, 1); /* even: x >>= 1 */
  emit(OP_ADDI, 6, 6, 0, 1);
  emit(OP_JMP, 0, 0, 0, inner);
  patch(odd, emit(OP_ADD, 8, 5, 5, 0)); /* odd: x = 3x + 1 */
  emit(OP_ADD, 5, 8, 5, 0);
  emit(OP_ADDI, 5, 5, 0, 1);
  emit(OP_ADDI, 6, 6, 0, 1);
  emit(OP_JMP, 0, 0, 0, inner);
  int done = emit(OP_ADD, 0, 0, 6, 0); /* sum += len */
  patch(inner, done);
  int not_better = emit(OP_BLTU, 1, 6, 0, 0);
  int skip = emit(OP_JMP, 0, 0, 0, 0);
  patch(not_better, emit(OP_MOV, 1, 6, 0, 0));
  emit(OP_MOV, 2, 3, 0, 0);
  patch(skip, emit(OP_ADDI, 3, 3, 0, 1));
  emit(OP_BNE, 3, 4, 0, outer);
  emit(OP_HALT, 0, 0, 0, 0);
}

/* mem[0, limit) cleared, composites marked; r0 = number of primes below limit, r1 = their xor. */
static void assemble_sieve(uint32_t limit) {
  code_len = 0;
  emit(OP_LI, 4, 0, 0, (int32_t)limit);
  emit(OP_LI, 1, 0, 0, 0);
  int clr = emit(OP_ST, 15, 1, 0, 0); /* r15 is zero */
  emit(OP_ADDI, 1, 1, 0, 1);
  emit(OP_BNE, 1, 4, 0, clr);
  emit(OP_LI, 9, 0, 0, 1);
  emit(OP_LI, 2, 0, 0, 2); /* i = 2 */
  int outer = emit(OP_MUL, 3, 2, 2, 0);
  int outer_exit = emit(OP_BLTU, 4, 3, 0, 0); /* i*i > limit: done marking */
  emit(OP_LD, 5, 2, 0, 0);
  int composite = emit(OP_BNEZ, 5, 0, 0, 0);
  int mark = emit(OP_BLTU, 3, 4, 0, 0);
  int after_mark = emit(OP_JMP, 0, 0, 0, 0);
  int mark_body = emit(OP_ST, 9, 3, 0, 0);
  patch(mark, mark_body);
  emit(OP_ADD, 3, 3, 2, 0);
  emit(OP_BLTU, 3, 4, 0, mark_body);
  int next_i = emit(OP_ADDI, 2, 2, 0, 1);
  patch(after_mark, next_i);
  patch(composite, next_i);
  emit(OP_JMP, 0, 0, 0, outer);
  int count = emit(OP_LI, 0, 0, 0, 0);
  patch(outer_exit, count);
  emit(OP_LI, 1, 0, 0, 0);
  emit(OP_LI, 2, 0, 0, 2);
  int loop = emit(OP_LD, 5, 2, 0, 0);
  int is_comp = emit(OP_BNEZ, 5, 0, 0, 0);
  emit(OP_ADDI, 0, 0, 0, 1);
  emit(OP_XOR, 1, 1, 2, 0);
  patch(is_comp, emit(OP_ADDI, 2, 2, 0, 1));
  emit(OP_BLTU, 2, 4, 0, loop);
  emit(OP_HALT, 0, 0, 0, 0);
}

/* ---------------- the lexer ---------------- */
static uint64_t rng_state = 0x0123456789ABCDEFull;
static uint32_t rng32(void) {
  rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
  return (uint32_t)(rng_state >> 33);
}

static const char* const kWords[] = {"if", "else", "while", "return",     "let",  "fn",    "count", "total",
                                     "x",  "y1",   "index", "buffer_len", "_tmp", "value", "node",  "next"};
static const char* const kPuncts[] = {"+", "-", "*", "/", "==", "!=", "<=", ">=", "<",  ">", "=",
                                      "(", ")", "{", "}", ";",  ",",  "&&", "||", "->", "%", "!"};

static size_t append(char* dst, size_t at, size_t cap, const char* s) {
  while (*s && at < cap) dst[at++] = *s++;
  return at;
}

static char* make_text(size_t n) {
  char* t = malloc(n + 1);
  if (!t) exit(2);
  size_t at = 0;
  char num[32];
  while (at < n) {
    uint32_t r = rng32();
    switch (r % 10u) {
      case 0:
      case 1:
      case 2:
        at = append(t, at, n, kWords[(r >> 8) % 16u]);
        break;
      case 3:
      case 4:
        at = append(t, at, n, kPuncts[(r >> 8) % 22u]);
        break;
      case 5:
        snprintf(num, sizeof num, "%u", (r >> 8) % 100000u);
        at = append(t, at, n, num);
        break;
      case 6:
        snprintf(num, sizeof num, "%u.%ue%u", (r >> 8) % 1000u, (r >> 18) % 100u, (r >> 25) % 20u);
        at = append(t, at, n, num);
        break;
      case 7:
        at = append(t, at, n, (r >> 8) & 1u ? "\"str\\\"ing\"" : "\"a b c\"");
        break;
      case 8:
        at = append(t, at, n, (r >> 8) % 4u ? " " : "\n  ");
        break;
      default:
        at = append(t, at, n, (r >> 8) % 3u ? "/* note */" : "// line comment\n");
        break;
    }
    if (at < n && (r >> 12) % 3u) t[at++] = ' ';
  }
  t[n] = 0;
  return t;
}

enum { T_IDENT, T_KEYWORD, T_INT, T_FLOAT, T_STRING, T_PUNCT, T_COMMENT, T_ERROR, T_KINDS };

static int is_alpha(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
static int is_digit(int c) {
  return c >= '0' && c <= '9';
}

static int keyword(const char* s, size_t n) {
  switch (n) {
    case 2:
      return (s[0] == 'i' && s[1] == 'f') || (s[0] == 'f' && s[1] == 'n');
    case 3:
      return s[0] == 'l' && s[1] == 'e' && s[2] == 't';
    case 4:
      return s[0] == 'e' && s[1] == 'l' && s[2] == 's' && s[3] == 'e';
    case 5:
      return s[0] == 'w' && s[1] == 'h' && s[2] == 'i' && s[3] == 'l' && s[4] == 'e';
    case 6:
      return s[0] == 'r' && s[1] == 'e' && s[2] == 't' && s[3] == 'u' && s[4] == 'r' && s[5] == 'n';
    default:
      return 0;
  }
}

static uint32_t lex(const char* t, uint32_t* counts) {
  uint32_t h = 2166136261u;
  const char* p = t;
  while (*p) {
    char c = *p;
    if (c == ' ' || c == '\n' || c == '\t') {
      p++;
      continue;
    }
    const char* start = p;
    int kind;
    if (is_alpha(c)) {
      while (is_alpha(*p) || is_digit(*p)) p++;
      kind = keyword(start, (size_t)(p - start)) ? T_KEYWORD : T_IDENT;
    } else if (is_digit(c)) {
      kind = T_INT;
      while (is_digit(*p)) p++;
      if (*p == '.' && is_digit(p[1])) {
        kind = T_FLOAT;
        p++;
        while (is_digit(*p)) p++;
      }
      if (*p == 'e' || *p == 'E') {
        const char* q = p + 1;
        if (*q == '+' || *q == '-') q++;
        if (is_digit(*q)) {
          kind = T_FLOAT;
          p = q;
          while (is_digit(*p)) p++;
        }
      }
    } else if (c == '"') {
      kind = T_STRING;
      p++;
      while (*p && *p != '"') p += (*p == '\\' && p[1]) ? 2 : 1;
      if (*p)
        p++;
      else
        kind = T_ERROR;
    } else if (c == '/' && p[1] == '/') {
      kind = T_COMMENT;
      while (*p && *p != '\n') p++;
    } else if (c == '/' && p[1] == '*') {
      kind = T_COMMENT;
      p += 2;
      while (*p && !(*p == '*' && p[1] == '/')) p++;
      if (*p)
        p += 2;
      else
        kind = T_ERROR;
    } else {
      kind = T_PUNCT;
      char d = p[1];
      switch (c) {
        case '=':
        case '!':
        case '<':
        case '>':
          p += d == '=' ? 2 : 1;
          break;
        case '&':
        case '|':
          p += d == c ? 2 : 1;
          break;
        case '-':
          p += d == '>' ? 2 : 1;
          break;
        case '+':
        case '*':
        case '/':
        case '%':
        case '(':
        case ')':
        case '{':
        case '}':
        case ';':
        case ',':
        case '.':
          p++;
          break;
        default:
          kind = T_ERROR;
          p++;
          break;
      }
    }
    counts[kind]++;
    h = (h ^ (uint32_t)(kind * 64 + (p - start))) * 16777619u;
  }
  return h;
}

int main(void) {
  uint32_t r[16] = {0};
  assemble_collatz(COLLATZ_N);
  vm_run(r, NULL);
  printf("collatz sum %u longest %u at %u\n", r[0], r[1], r[2]);

  uint32_t* mem = malloc(SIEVE_N * sizeof(uint32_t));
  if (!mem) return 2;
  uint32_t primes = 0, pxor = 0;
  for (int rep = 0; rep < SIEVE_REPS; rep++) {
    for (int k = 0; k < 16; k++) r[k] = 0;
    assemble_sieve(SIEVE_N - (uint32_t)rep * 7u);
    vm_run(r, mem);
    primes += r[0];
    pxor ^= r[1];
  }
  printf("sieve primes %u xor %u\n", primes, pxor);
  printf("vm steps %llu\n", (unsigned long long)vm_steps);
  free(mem);

  char* text = make_text(TEXT_BYTES);
  uint32_t counts[T_KINDS] = {0}, lh = 0;
  for (int rep = 0; rep < LEX_REPS; rep++) {
    text[(rep * 7919u) % TEXT_BYTES] = ' ';
    lh = lh * 31u + lex(text, counts);
  }
  printf("lex hash %08x ident %u kw %u int %u float %u str %u punct %u comment %u err %u\n", lh,
         counts[T_IDENT], counts[T_KEYWORD], counts[T_INT], counts[T_FLOAT], counts[T_STRING],
         counts[T_PUNCT], counts[T_COMMENT], counts[T_ERROR]);
  free(text);
  return 0;
}
