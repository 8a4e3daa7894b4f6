/* N-body simulation of the Sun and the four gas giants (symplectic Euler),
   double precision: float arithmetic, sqrt and division in the inner loop. */
#include "bench.h"
#include <math.h>

#ifndef NBODY_STEPS
#define NBODY_STEPS 4000000
#endif

#define BODIES 5
#define PI 3.141592653589793
#define SOLAR_MASS (4 * PI * PI)
#define DAYS_PER_YEAR 365.24

typedef struct {
  double x, y, z, vx, vy, vz, mass;
} Body;

/* Positions in AU, velocities in AU/day (scaled to AU/year below), masses in solar masses. */
static const Body initial[BODIES] = {
    {0, 0, 0, 0, 0, 0, 1.0},
    {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
     1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05,
     9.54791938424326609e-04},
    {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
     -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05,
     2.85885980666130812e-04},
    {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
     2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05,
     4.36624404335156298e-05},
    {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
     2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05,
     5.15138902046611451e-05},
};

static Body bodies[BODIES];

static void setup(void) {
  double px = 0, py = 0, pz = 0;
  for (int i = 0; i < BODIES; i++) {
    bodies[i] = initial[i];
    bodies[i].vx *= DAYS_PER_YEAR;
    bodies[i].vy *= DAYS_PER_YEAR;
    bodies[i].vz *= DAYS_PER_YEAR;
    bodies[i].mass *= SOLAR_MASS;
    px += bodies[i].vx * bodies[i].mass;
    py += bodies[i].vy * bodies[i].mass;
    pz += bodies[i].vz * bodies[i].mass;
  }
  /* Give the Sun the momentum that makes the total zero. */
  bodies[0].vx = -px / SOLAR_MASS;
  bodies[0].vy = -py / SOLAR_MASS;
  bodies[0].vz = -pz / SOLAR_MASS;
}

static double energy(void) {
  double e = 0;
  for (int i = 0; i < BODIES; i++) {
    Body *b = &bodies[i];
    e += 0.5 * b->mass * (b->vx * b->vx + b->vy * b->vy + b->vz * b->vz);
    for (int j = i + 1; j < BODIES; j++) {
      Body *o = &bodies[j];
      double dx = b->x - o->x, dy = b->y - o->y, dz = b->z - o->z;
      e -= b->mass * o->mass / sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}

static void advance(double dt) {
  for (int i = 0; i < BODIES; i++) {
    Body *b = &bodies[i];
    for (int j = i + 1; j < BODIES; j++) {
      Body *o = &bodies[j];
      double dx = b->x - o->x, dy = b->y - o->y, dz = b->z - o->z;
      double d2 = dx * dx + dy * dy + dz * dz;
      double mag = dt / (d2 * sqrt(d2));
      b->vx -= dx * o->mass * mag;
      b->vy -= dy * o->mass * mag;
      b->vz -= dz * o->mass * mag;
      o->vx += dx * b->mass * mag;
      o->vy += dy * b->mass * mag;
      o->vz += dz * b->mass * mag;
    }
  }
  for (int i = 0; i < BODIES; i++) {
    bodies[i].x += dt * bodies[i].vx;
    bodies[i].y += dt * bodies[i].vy;
    bodies[i].z += dt * bodies[i].vz;
  }
}

BENCH_EXPORT uint64_t bench_run(void) {
  int steps = (int)bench_input(NBODY_STEPS);
  setup();
  uint64_t h = 0;
  h = bench_mix(h, (uint64_t)(int64_t)(energy() * 1e15));
  for (int s = 0; s < steps; s++) advance(0.01);
  h = bench_mix(h, (uint64_t)(int64_t)(energy() * 1e15));
  h = bench_mix(h, (uint64_t)(int64_t)(bodies[1].x * 1e12));
  return h;
}
