/* mixed_raytrace: a "realistic" mixed workload, a small Whitted-style ray tracer in single precision.
 * Spheres over a checkered plane, two point lights with hard shadows, a specular highlight and up to
 * three reflection bounces, 2x2 supersampling. Mixes f32 arithmetic (sqrt, divide), small structs
 * passed by value, calls and data-dependent branches. Only IEEE basic operations and sqrtf are used, and
 * -ffp-contract=off is passed, so the image hash is identical everywhere. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef BENCH_SMALL
#define WIDTH 64
#define HEIGHT 48
#else
#define WIDTH 800
#define HEIGHT 600
#endif
#define NSPHERES 14
#define MAX_BOUNCES 3

typedef struct {
  float x, y, z;
} Vec;

static inline Vec v3(float x, float y, float z) {
  return (Vec){x, y, z};
}
static inline Vec add(Vec a, Vec b) {
  return v3(a.x + b.x, a.y + b.y, a.z + b.z);
}
static inline Vec sub(Vec a, Vec b) {
  return v3(a.x - b.x, a.y - b.y, a.z - b.z);
}
static inline Vec scale(Vec a, float s) {
  return v3(a.x * s, a.y * s, a.z * s);
}
static inline Vec mul(Vec a, Vec b) {
  return v3(a.x * b.x, a.y * b.y, a.z * b.z);
}
static inline float dot(Vec a, Vec b) {
  return a.x * b.x + a.y * b.y + a.z * b.z;
}
static inline Vec norm(Vec a) {
  return scale(a, 1.0f / sqrtf(dot(a, a)));
}

typedef struct {
  Vec centre, colour;
  float radius, reflect;
} Sphere;

static Sphere spheres[NSPHERES];
static const Vec kLights[2] = {{-6.0f, 9.0f, -4.0f}, {7.0f, 6.0f, -7.0f}};
static const float kLightPower[2] = {0.75f, 0.45f};

static uint32_t rng_state = 0x2468ACE1u;
static float rng_unit(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 17;
  rng_state ^= rng_state << 5;
  return (float)(rng_state >> 8) * (1.0f / 16777216.0f);
}

static void build_scene(void) {
  for (int i = 0; i < NSPHERES; i++) {
    float ring = (float)(i % 7) - 3.0f, row = (float)(i / 7);
    /* one rng_unit() per statement: the evaluation order of call arguments is unspecified in C */
    float r = 0.45f + 0.5f * rng_unit();
    float cx = ring * 1.6f + 0.4f * rng_unit();
    float cz = 1.5f + row * 2.2f + rng_unit();
    float red = 0.2f + 0.8f * rng_unit();
    float green = 0.2f + 0.8f * rng_unit();
    float blue = 0.2f + 0.8f * rng_unit();
    spheres[i].centre = v3(cx, r, cz);
    spheres[i].radius = r;
    spheres[i].colour = v3(red, green, blue);
    spheres[i].reflect = i % 3 == 0 ? 0.6f : 0.15f * rng_unit();
  }
}

/* Nearest hit along origin + t*dir (dir normalised) with t > eps; returns object id, -1 for the plane,
 * -2 for nothing. */
static int intersect(Vec origin, Vec dir, float* t_out) {
  float best = 1e30f;
  int hit = -2;
  for (int i = 0; i < NSPHERES; i++) {
    Vec oc = sub(origin, spheres[i].centre);
    float b = dot(oc, dir);
    float c = dot(oc, oc) - spheres[i].radius * spheres[i].radius;
    float disc = b * b - c;
    if (disc < 0.0f) continue;
    float s = sqrtf(disc);
    float t = -b - s;
    if (t < 1e-3f) t = -b + s;
    if (t > 1e-3f && t < best) {
      best = t;
      hit = i;
    }
  }
  if (dir.y < -1e-6f) {
    float t = -origin.y / dir.y;
    if (t > 1e-3f && t < best) {
      best = t;
      hit = -1;
    }
  }
  *t_out = best;
  return hit;
}

static int in_shadow(Vec p, Vec to_light, float dist) {
  for (int i = 0; i < NSPHERES; i++) {
    Vec oc = sub(p, spheres[i].centre);
    float b = dot(oc, to_light);
    float c = dot(oc, oc) - spheres[i].radius * spheres[i].radius;
    float disc = b * b - c;
    if (disc < 0.0f) continue;
    float t = -b - sqrtf(disc);
    if (t > 1e-3f && t < dist) return 1;
  }
  return 0;
}

static Vec trace(Vec origin, Vec dir) {
  Vec result = v3(0.0f, 0.0f, 0.0f), weight = v3(1.0f, 1.0f, 1.0f);
  for (int bounce = 0; bounce <= MAX_BOUNCES; bounce++) {
    float t;
    int id = intersect(origin, dir, &t);
    if (id == -2) { /* sky: a vertical gradient */
      float k = 0.5f + 0.5f * dir.y;
      result = add(result, mul(weight, v3(0.35f + 0.3f * k, 0.5f + 0.3f * k, 0.9f)));
      break;
    }
    Vec p = add(origin, scale(dir, t)), n, base;
    float reflect;
    if (id == -1) {
      n = v3(0.0f, 1.0f, 0.0f);
      int cx = (int)floorf(p.x * 0.8f), cz = (int)floorf(p.z * 0.8f);
      base = (cx + cz) & 1 ? v3(0.85f, 0.85f, 0.8f) : v3(0.2f, 0.22f, 0.25f);
      reflect = 0.2f;
    } else {
      n = norm(sub(p, spheres[id].centre));
      base = spheres[id].colour;
      reflect = spheres[id].reflect;
    }
    Vec local = scale(base, 0.08f); /* ambient */
    for (int l = 0; l < 2; l++) {
      Vec to_l = sub(kLights[l], p);
      float dist = sqrtf(dot(to_l, to_l));
      to_l = scale(to_l, 1.0f / dist);
      float lambert = dot(n, to_l);
      if (lambert <= 0.0f || in_shadow(p, to_l, dist)) continue;
      Vec half = norm(sub(to_l, dir));
      float spec = dot(n, half);
      spec = spec > 0.0f ? spec : 0.0f;
      spec *= spec, spec *= spec, spec *= spec, spec *= spec, spec *= spec; /* ^32 */
      local = add(local, scale(base, lambert * kLightPower[l]));
      local = add(local, v3(spec * 0.5f, spec * 0.5f, spec * 0.5f));
    }
    result = add(result, mul(weight, scale(local, 1.0f - reflect)));
    if (reflect <= 0.01f) break;
    weight = scale(weight, reflect);
    dir = sub(dir, scale(n, 2.0f * dot(dir, n)));
    origin = p;
  }
  return result;
}

static uint8_t to_byte(float c) {
  if (c <= 0.0f) return 0;
  if (c >= 1.0f) return 255;
  return (uint8_t)(c * 255.0f + 0.5f);
}

int main(void) {
  build_scene();
  uint8_t* img = malloc((size_t)WIDTH * HEIGHT * 3);
  if (!img) return 2;
  const Vec eye = v3(0.0f, 2.2f, -6.0f);
  const float aspect = (float)WIDTH / (float)HEIGHT;
  for (int y = 0; y < HEIGHT; y++) {
    for (int x = 0; x < WIDTH; x++) {
      Vec sum = v3(0.0f, 0.0f, 0.0f);
      for (int sy = 0; sy < 2; sy++) {
        for (int sx = 0; sx < 2; sx++) {
          float u = ((float)x + 0.25f + 0.5f * (float)sx) / (float)WIDTH * 2.0f - 1.0f;
          float v = 1.0f - ((float)y + 0.25f + 0.5f * (float)sy) / (float)HEIGHT * 2.0f;
          Vec dir = norm(v3(u * aspect * 0.7f, v * 0.7f - 0.15f, 1.0f));
          sum = add(sum, trace(eye, dir));
        }
      }
      uint8_t* px = &img[((size_t)y * WIDTH + (size_t)x) * 3];
      px[0] = to_byte(sum.x * 0.25f);
      px[1] = to_byte(sum.y * 0.25f);
      px[2] = to_byte(sum.z * 0.25f);
    }
  }
  uint32_t h = 2166136261u;
  uint64_t total = 0;
  for (size_t i = 0; i < (size_t)WIDTH * HEIGHT * 3; i++) {
    h = (h ^ img[i]) * 16777619u;
    total += img[i];
  }
  printf("image %dx%d hash %08x mean %.4f\n", WIDTH, HEIGHT, h, (double)total / (WIDTH * HEIGHT * 3.0));
  free(img);
  return 0;
}
