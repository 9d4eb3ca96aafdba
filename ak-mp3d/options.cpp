// ak-mp3d's arguments (options.h).
#include "options.h"

#include "lib/cmdline.h"
#include "libak.h"

namespace mp3d_ak {

namespace {

using ck::StrView;

// "XxYxZ"
bool parse_cells(StrView v, mp3d::Params* p) {
  uint32_t dims[3], n = 0, start = 0;
  for (uint32_t i = 0; i <= v.size() && n < 3; ++i) {
    if (i < v.size() && v[i] != 'x') continue;
    if (!ck::parse_u32(v.substr(start, i - start), &dims[n])) return false;
    n += 1;
    start = i + 1;
  }
  if (n != 3 || start != v.size() + 1) return false;
  if (dims[0] < 8 || dims[1] < 8 || dims[2] < 1 || dims[0] > 1024 || dims[1] > 1024 || dims[2] > 256) return false;
  p->nx = dims[0];
  p->ny = dims[1];
  p->nz = dims[2];
  return true;
}

bool parse_policy(StrView v, PolicyKind* out) {
  if (v == "mp3d")
    *out = PolicyKind::Sweep;
  else if (v == "fifo")
    *out = PolicyKind::Fifo;
  else if (v == "clock" || v == "lru")
    *out = PolicyKind::Clock;
  else if (v == "compare")
    *out = PolicyKind::Compare;
  else
    return false;
  return true;
}

bool parse_object(StrView v, mp3d::Object* out) {
  if (v == "wedge")
    *out = mp3d::Object::Wedge;
  else if (v == "plate")
    *out = mp3d::Object::Plate;
  else if (v == "none")
    *out = mp3d::Object::None;
  else
    return false;
  return true;
}

bool parse_walls(StrView v, mp3d::Walls* out) {
  if (v == "specular")
    *out = mp3d::Walls::Specular;
  else if (v == "diffuse")
    *out = mp3d::Walls::Diffuse;
  else
    return false;
  return true;
}

bool number(const ck::CommandLine& args, const char* key, uint32_t low, uint32_t high, uint32_t* out) {
  StrView v;
  if (!args.lookup(key, &v)) return true;
  uint32_t n;
  if (!ck::parse_u32(v, &n) || n < low || n > high) {
    ak::print("mp3d: {}={}: a number from {} to {}\n", StrView(key), v, low, high);
    return false;
  }
  *out = n;
  return true;
}

}  // namespace

const char* policy_name(PolicyKind kind) {
  switch (kind) {
    case PolicyKind::Sweep:
      return "mp3d";
    case PolicyKind::Fifo:
      return "fifo";
    case PolicyKind::Clock:
      return "clock";
    case PolicyKind::Compare:
      return "compare";
  }
  return "?";
}

bool parse_options(const char* text, Options* o) {
  const ck::CommandLine args{StrView(text)};
  StrView v;
  if (args.lookup("cells", &v) && !parse_cells(v, &o->params)) {
    ak::print("mp3d: cells={}: XxYxZ, X and Y from 8 to 1024, Z from 1 to 256\n", v);
    return false;
  }
  if (args.lookup("policy", &v) && !parse_policy(v, &o->policy)) {
    ak::print("mp3d: policy={}: mp3d, fifo, clock (lru) or compare\n", v);
    return false;
  }
  if (args.lookup("object", &v) && !parse_object(v, &o->params.object)) {
    ak::print("mp3d: object={}: wedge, plate or none\n", v);
    return false;
  }
  if (args.lookup("walls", &v) && !parse_walls(v, &o->params.walls)) {
    ak::print("mp3d: walls={}: specular or diffuse\n", v);
    return false;
  }
  uint32_t read_ahead = 1, dump = 0, wall_thermal = static_cast<uint32_t>(o->params.wall_thermal);
  const bool ok =
      number(args, "molecules", 1, 4000000, &o->params.molecules) &&
      number(args, "capacity", 0, 4000000, &o->params.capacity) && number(args, "steps", 0, 1000000, &o->steps) &&
      number(args, "threads", 1, 4, &o->threads) && number(args, "seed", 0, 0xffffffffu, &o->params.seed) &&
      number(args, "collide", 0, 65536, &o->params.collide) && number(args, "report", 0, 1000000, &o->report) &&
      number(args, "dump", 0, 1, &dump) && number(args, "warmup", 0, 1000000, &o->warmup) &&
      number(args, "wall_thermal", 0, 65536, &wall_thermal) && number(args, "share", 0, 100, &o->share) &&
      number(args, "readahead", 0, 1, &read_ahead);
  o->read_ahead = read_ahead != 0;
  o->dump = dump != 0;
  o->params.wall_thermal = static_cast<int32_t>(wall_thermal);
  return ok;
}

}  // namespace mp3d_ak
