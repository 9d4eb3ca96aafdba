// MP3D's boundary conditions (boundary.h).
#include "boundary.h"

namespace mp3d {

namespace {

// A specular wall at 0 and at `limit` for one coordinate; true when it stayed inside.
bool wall(int32_t& p, int32_t& v, int32_t limit) {
  if (p < 0) {
    p = -p;
    v = -v;
  } else if (p >= limit) {
    p = 2 * limit - 1 - p;
    v = -v;
  }
  return p >= 0 && p < limit;
}

bool inside_wedge(const Geometry& g, const Position& p) {
  const int32_t fx = p.x - g.apex, fy = p.y - g.centre;
  return fx >= 0 && p.x < g.base && fy <= fx && -fy <= fx;
}

// The face of the wedge a molecule crossed (judged from where it came from), reflected.
Face reflect_wedge(const Geometry& g, const Position& from, Position& p, int32_t v[3]) {
  const int32_t ox = from.x - g.apex, oy = from.y - g.centre;
  if (from.x >= g.base) {  // through the back face
    p.x = 2 * g.base - p.x;
    v[0] = -v[0];
    return Face::WedgeBack;
  }
  const bool upper = oy > ox ? true : (-oy > ox ? false : p.y >= g.centre);
  const int32_t fx = p.x - g.apex, fy = p.y - g.centre;
  if (upper) {  // the plane fx = fy, normal (1, -1): x -= d, y += d; (u, v) -> (v, u)
    const int32_t d = fx - fy;
    p.x -= d;
    p.y += d;
    const int32_t u = v[0];
    v[0] = v[1];
    v[1] = u;
    return Face::WedgeUpper;
  } else {  // the plane fx = -fy, normal (1, 1): x -= e, y -= e; (u, v) -> (-v, -u)
    const int32_t e = fx + fy;
    p.x -= e;
    p.y -= e;
    const int32_t u = v[0];
    v[0] = -v[1];
    v[1] = -u;
    return Face::WedgeLower;
  }
}

bool crosses_plate(const Geometry& g, const Position& from, const Position& p) {
  const bool before = from.x < g.apex, after = p.x < g.apex;
  const int32_t dy = p.y - g.centre;
  return before != after && dy <= g.half && -dy <= g.half;
}

Face reflect_plate(const Geometry& g, const Position& from, Position& p, int32_t v[3]) {
  p.x = from.x < g.apex ? 2 * g.apex - 1 - p.x : 2 * g.apex - p.x;
  v[0] = -v[0];
  return from.x < g.apex ? Face::PlateFront : Face::PlateBack;
}

bool in_tunnel(const Geometry& g, const Position& p) {
  return p.x >= 0 && p.x < g.xmax && p.y >= 0 && p.y < g.ymax && p.z >= 0 && p.z < g.zmax;
}

// A reflection that did not bring the molecule back to free space (a corner, a
// velocity longer than the room it had): it goes back where it was, velocity reversed.
void go_back(const Position& from, Position& p, int32_t v[3]) {
  p = from;
  for (int i = 0; i < 3; ++i) v[i] = -v[i];
}

}  // namespace

bool inside_object(const Params& params, const Geometry& g, const Position& p) {
  return params.object == Object::Wedge && inside_wedge(g, p);
}

Fate apply_boundaries(const Params& params, const Geometry& g, const Position& from, Position& p, int32_t v[3],
                      Face* face) {
  Face hit = Face::None;
  if (face != nullptr) *face = Face::None;
  bool ok = wall(p.y, v[1], g.ymax) && wall(p.z, v[2], g.zmax);
  if (params.ends == Ends::Closed) {
    ok = ok && wall(p.x, v[0], g.xmax);
  } else {
    if (p.x >= g.xmax) return Fate::Exited;
    if (p.x < 0) return Fate::Upstream;
  }
  if (!ok) {
    go_back(from, p, v);
    return Fate::Inside;
  }
  Fate fate = Fate::Inside;
  if (params.object == Object::Wedge && inside_wedge(g, p)) {
    hit = reflect_wedge(g, from, p, v);
    fate = Fate::Reflected;
  } else if (params.object == Object::Plate && crosses_plate(g, from, p)) {
    hit = reflect_plate(g, from, p, v);
    fate = Fate::Reflected;
  }
  if (fate == Fate::Reflected && (!in_tunnel(g, p) || inside_object(params, g, p) ||
                                  (params.object == Object::Plate && crosses_plate(g, from, p)))) {
    go_back(from, p, v);
    hit = Face::None;
  }
  if (face != nullptr) *face = hit;
  return fate;
}

}  // namespace mp3d
