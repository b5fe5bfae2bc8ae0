/* fp_nbody: double-precision floating point.
 * A softened gravitational N-body system (structure-of-arrays, all pairs each step) integrated with
 * kick-drift-kick leapfrog. The inner loop is loads, mul/add, one sqrt and one divide per pair.
 * Only IEEE basic operations and sqrt are used (no libm transcendental functions, compiled with
 * -ffp-contract=off), so the printed energies are bit-identical on every conforming runtime. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef BENCH_SMALL
#define NBODIES 64
#define STEPS 200
#else
#define NBODIES 256
#define STEPS 2400
#endif

#define SOFTENING2 1e-3
#define DT 1e-3

static double px[NBODIES], py[NBODIES], pz[NBODIES];
static double vx[NBODIES], vy[NBODIES], vz[NBODIES];
static double ax[NBODIES], ay[NBODIES], az[NBODIES];
static double mass[NBODIES];

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static double rng_unit(void) { /* uniform in [0, 1) with 53 random bits */
  uint64_t x = rng_state;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  rng_state = x;
  return (double)((x * 0x2545F4914F6CDD1Dull) >> 11) * (1.0 / 9007199254740992.0);
}

/* Bodies in a thick disc, on roughly circular orbits around a heavy centre body. */
static void init_system(void) {
  mass[0] = 1000.0;
  px[0] = py[0] = pz[0] = vx[0] = vy[0] = vz[0] = 0.0;
  for (int i = 1; i < NBODIES; i++) {
    double x, y, r2;
    do {
      x = 2.0 * rng_unit() - 1.0;
      y = 2.0 * rng_unit() - 1.0;
      r2 = x * x + y * y;
    } while (r2 > 1.0 || r2 < 0.01);
    double r = sqrt(r2);
    px[i] = 10.0 * x;
    py[i] = 10.0 * y;
    pz[i] = 0.5 * (rng_unit() - 0.5);
    double speed = sqrt(mass[0] / (10.0 * r)) * (0.9 + 0.2 * rng_unit());
    vx[i] = -speed * y / r;
    vy[i] = speed * x / r;
    vz[i] = 0.05 * (rng_unit() - 0.5);
    mass[i] = 0.1 + rng_unit();
  }
}

static void compute_accelerations(void) {
  for (int i = 0; i < NBODIES; i++) ax[i] = ay[i] = az[i] = 0.0;
  for (int i = 0; i < NBODIES; i++) {
    double xi = px[i], yi = py[i], zi = pz[i];
    double axi = 0.0, ayi = 0.0, azi = 0.0, mi = mass[i];
    for (int j = i + 1; j < NBODIES; j++) {
      double dx = px[j] - xi, dy = py[j] - yi, dz = pz[j] - zi;
      double d2 = dx * dx + dy * dy + dz * dz + SOFTENING2;
      double inv = 1.0 / (d2 * sqrt(d2));
      double fi = mass[j] * inv, fj = mi * inv;
      axi += dx * fi;
      ayi += dy * fi;
      azi += dz * fi;
      ax[j] -= dx * fj;
      ay[j] -= dy * fj;
      az[j] -= dz * fj;
    }
    ax[i] += axi;
    ay[i] += ayi;
    az[i] += azi;
  }
}

static double energy(void) {
  double e = 0.0;
  for (int i = 0; i < NBODIES; i++) {
    e += 0.5 * mass[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
    for (int j = i + 1; j < NBODIES; j++) {
      double dx = px[j] - px[i], dy = py[j] - py[i], dz = pz[j] - pz[i];
      e -= mass[i] * mass[j] / sqrt(dx * dx + dy * dy + dz * dz + SOFTENING2);
    }
  }
  return e;
}

int main(void) {
  init_system();
  double e0 = energy();
  compute_accelerations();
  for (int s = 0; s < STEPS; s++) {
    for (int i = 0; i < NBODIES; i++) {
      vx[i] += 0.5 * DT * ax[i];
      vy[i] += 0.5 * DT * ay[i];
      vz[i] += 0.5 * DT * az[i];
      px[i] += DT * vx[i];
      py[i] += DT * vy[i];
      pz[i] += DT * vz[i];
    }
    compute_accelerations();
    for (int i = 0; i < NBODIES; i++) {
      vx[i] += 0.5 * DT * ax[i];
      vy[i] += 0.5 * DT * ay[i];
      vz[i] += 0.5 * DT * az[i];
    }
  }
  double e1 = energy();
  double cx = 0.0, cy = 0.0, cz = 0.0, mt = 0.0;
  for (int i = 0; i < NBODIES; i++) {
    cx += mass[i] * px[i];
    cy += mass[i] * py[i];
    cz += mass[i] * pz[i];
    mt += mass[i];
  }
  printf("bodies %d steps %d\n", NBODIES, STEPS);
  printf("energy before %.15e\n", e0);
  printf("energy after  %.15e\n", e1);
  printf("centre of mass %.15e %.15e %.15e\n", cx / mt, cy / mt, cz / mt);
  return 0;
}
