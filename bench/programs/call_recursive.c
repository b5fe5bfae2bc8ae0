/* call_recursive: function calls.
 * Direct recursion (naive Fibonacci, Takeuchi's function), recursion over a pointer-linked binary tree,
 * indirect calls through a function-pointer table (an expression-tree evaluator: call_indirect in wasm),
 * and a non-recursive call with eight arguments in a hot loop. Every function is noinline so that call
 * counts are the same for every compiler. Recursion depth stays below ~100 frames, so the programs
 * also fit runtimes with small default stacks. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define NOINLINE __attribute__((noinline))

#ifdef BENCH_SMALL
#define FIB_N 24
#define TAK_X 18
#define TREE_DEPTH 12
#define TREE_WALKS 4
#define EXPR_NODES (1u << 12)
#define EXPR_EVALS 8
#define ARGS_CALLS 200000u
#else
#define FIB_N 34
#define TAK_X 27
#define TREE_DEPTH 18
#define TREE_WALKS 24
#define EXPR_NODES (1u << 16)
#define EXPR_EVALS 256
#define ARGS_CALLS 20000000u
#endif

static NOINLINE uint32_t fib(uint32_t n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static uint64_t tak_calls;
static NOINLINE int tak(int x, int y, int z) {
  tak_calls++;
  if (y >= x) return z;
  return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y));
}

/* ---- binary tree: nodes come from one pool so malloc does not dominate ---- */
typedef struct Tree {
  struct Tree *left, *right;
  uint32_t value;
} Tree;

static Tree* tree_pool;
static uint32_t tree_used;

static NOINLINE Tree* tree_build(int depth, uint32_t seed) {
  Tree* t = &tree_pool[tree_used++];
  t->value = seed * 2654435761u + (uint32_t)depth;
  if (depth == 0) {
    t->left = t->right = NULL;
  } else {
    t->left = tree_build(depth - 1, seed * 2u + 1u);
    t->right = tree_build(depth - 1, seed * 2u + 2u);
  }
  return t;
}

static NOINLINE uint32_t tree_hash(const Tree* t, uint32_t salt) {
  if (!t) return salt;
  uint32_t l = tree_hash(t->left, salt + 1u);
  uint32_t r = tree_hash(t->right, salt ^ 0x5bd1e995u);
  return (l * 31u) ^ (r + t->value);
}

static NOINLINE void tree_mirror(Tree* t) {
  if (!t) return;
  Tree* tmp = t->left;
  t->left = t->right;
  t->right = tmp;
  tree_mirror(t->left);
  tree_mirror(t->right);
}

/* ---- expression tree evaluated through a function-pointer table ---- */
typedef uint32_t (*BinOp)(uint32_t, uint32_t);
static NOINLINE uint32_t op_add(uint32_t a, uint32_t b) {
  return a + b;
}
static NOINLINE uint32_t op_sub(uint32_t a, uint32_t b) {
  return a - b;
}
static NOINLINE uint32_t op_mul(uint32_t a, uint32_t b) {
  return a * b + 1u;
}
static NOINLINE uint32_t op_xor(uint32_t a, uint32_t b) {
  return a ^ (b >> 3);
}
static NOINLINE uint32_t op_rot(uint32_t a, uint32_t b) {
  return (a << (b & 31u)) | (a >> ((32u - b) & 31u));
}
static NOINLINE uint32_t op_min(uint32_t a, uint32_t b) {
  return a < b ? a : b + 7u;
}
static NOINLINE uint32_t op_div(uint32_t a, uint32_t b) {
  return a / (b | 1u);
}
static NOINLINE uint32_t op_avg(uint32_t a, uint32_t b) {
  return (a >> 1) + (b >> 1) + (a & b & 1u);
}
static BinOp const kOps[8] = {op_add, op_sub, op_mul, op_xor, op_rot, op_min, op_div, op_avg};

typedef struct Expr {
  int32_t left, right; /* child indices, -1 for a leaf */
  uint32_t op_or_value;
} Expr;

static Expr* exprs;

static NOINLINE uint32_t expr_eval(int32_t i, uint32_t x) {
  const Expr* e = &exprs[i];
  if (e->left < 0) return e->op_or_value ^ x;
  return kOps[e->op_or_value & 7u](expr_eval(e->left, x), expr_eval(e->right, x + 1u));
}

/* Builds a random tree of n nodes (n odd) with bounded depth; returns the root index. */
static uint32_t rng_state = 0x12345678u;
static uint32_t rng32(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 17;
  rng_state ^= rng_state << 5;
  return rng_state;
}
static uint32_t expr_next;
static NOINLINE int32_t expr_build(uint32_t budget, int depth) {
  int32_t me = (int32_t)expr_next++;
  if (budget < 3 || depth > 40) {
    exprs[me].left = exprs[me].right = -1;
    exprs[me].op_or_value = rng32();
    return me;
  }
  uint32_t rest = budget - 1u;
  uint32_t left = 1u + 2u * (rng32() % (rest / 2u)); /* odd, in [1, rest-1] */
  exprs[me].op_or_value = rng32() & 7u;
  exprs[me].left = expr_build(left, depth + 1);
  exprs[me].right = expr_build(rest - left, depth + 1);
  return me;
}

static NOINLINE uint32_t blend8(uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e, uint32_t f,
                                uint32_t g, uint32_t h) {
  return ((a ^ b) + (c ^ d)) * 3u + ((e - f) ^ (g + h));
}

int main(void) {
  uint32_t f = fib(FIB_N);
  int t = tak(TAK_X, TAK_X * 2 / 3, TAK_X / 3);

  tree_pool = malloc(sizeof(Tree) << (TREE_DEPTH + 1));
  if (!tree_pool) return 2;
  Tree* root = tree_build(TREE_DEPTH, 1u);
  uint32_t th = 0;
  for (int w = 0; w < TREE_WALKS; w++) {
    th = th * 31u + tree_hash(root, (uint32_t)w);
    tree_mirror(root);
  }

  exprs = malloc(sizeof(Expr) * EXPR_NODES);
  if (!exprs) return 2;
  int32_t expr_root = expr_build(EXPR_NODES - 1u, 0);
  uint32_t eh = 0;
  for (uint32_t k = 0; k < EXPR_EVALS; k++) eh = eh * 33u + expr_eval(expr_root, k);

  uint32_t acc = 1;
  for (uint32_t i = 0; i < ARGS_CALLS; i++)
    acc = blend8(acc, i, acc >> 3, i * 7u, acc + 1u, i ^ acc, 5u, acc >> 11);

  printf("fib(%d) %u\n", FIB_N, f);
  printf("tak %d calls %llu\n", t, (unsigned long long)tak_calls);
  printf("tree nodes %u hash %08x\n", tree_used, th);
  printf("expr nodes %u hash %08x\n", expr_next, eh);
  printf("blend8 %08x\n", acc);
  free(tree_pool);
  free(exprs);
  return 0;
}
