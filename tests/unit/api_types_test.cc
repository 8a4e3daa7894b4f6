// The C API's vectors, names, values and type objects (include/wasm.h).
#include <cstring>

#include "api_test_util.h"

namespace weft::api_test {
namespace {

TEST(ApiVectors, ByteVectorsCopyTheirBytes) {
  wasm_byte_vec_t empty;
  wasm_byte_vec_new_empty(&empty);
  EXPECT_EQ(empty.size, 0u);
  wasm_byte_vec_delete(&empty);

  wasm_byte_vec_t bytes;
  wasm_byte_vec_new(&bytes, 3, "abc");
  wasm_byte_vec_t copy;
  wasm_byte_vec_copy(&copy, &bytes);
  bytes.data[0] = 'x';
  ASSERT_EQ(copy.size, 3u);
  EXPECT_EQ(std::memcmp(copy.data, "abc", 3), 0);
  wasm_byte_vec_delete(&bytes);
  wasm_byte_vec_delete(&copy);
  EXPECT_EQ(copy.data, nullptr);

  wasm_byte_vec_t raw;
  wasm_byte_vec_new_uninitialized(&raw, 16);
  EXPECT_EQ(raw.size, 16u);
  wasm_byte_vec_delete(&raw);
}

TEST(ApiVectors, NamesFromStrings) {
  wasm_name_t name;
  wasm_name_new_from_string(&name, "hello");
  EXPECT_EQ(name_of(&name), "hello");
  wasm_name_t copy;
  wasm_name_copy(&copy, &name);
  EXPECT_EQ(name_of(&copy), "hello");
  wasm_name_delete(&copy);
  wasm_name_delete(&name);

  wasm_name_t terminated;
  wasm_name_new_from_string_nt(&terminated, "hi");
  ASSERT_EQ(terminated.size, 3u);
  EXPECT_EQ(terminated.data[2], '\0');
  wasm_name_delete(&terminated);

  wasm_name_t empty;
  wasm_name_new_empty(&empty);
  EXPECT_EQ(empty.size, 0u);
  wasm_name_delete(&empty);
  wasm_name_t sized;
  wasm_name_new_new_uninitialized(&sized, 2);
  EXPECT_EQ(sized.size, 2u);
  wasm_name_delete(&sized);
}

TEST(ApiVectors, ValueMacrosAndVectors) {
  wasm_val_t vals[] = {WASM_I32_VAL(-3), WASM_I64_VAL(1ll << 40), WASM_F32_VAL(1.5f), WASM_F64_VAL(-2.25),
                       WASM_REF_VAL(nullptr), WASM_INIT_VAL};
  EXPECT_EQ(vals[0].kind, WASM_I32);
  EXPECT_EQ(vals[0].of.i32, -3);
  EXPECT_EQ(vals[1].of.i64, 1ll << 40);
  EXPECT_EQ(vals[2].of.f32, 1.5f);
  EXPECT_EQ(vals[3].of.f64, -2.25);
  EXPECT_EQ(vals[4].kind, WASM_EXTERNREF);
  EXPECT_EQ(vals[5].of.ref, nullptr);

  wasm_val_vec_t vec;
  wasm_val_vec_new(&vec, 6, vals);
  wasm_val_vec_t copy;
  wasm_val_vec_copy(&copy, &vec);
  ASSERT_EQ(copy.size, 6u);
  EXPECT_EQ(copy.data[1].of.i64, 1ll << 40);
  wasm_val_vec_delete(&vec);
  wasm_val_vec_delete(&copy);

  wasm_val_vec_t empty = WASM_EMPTY_VEC;
  EXPECT_EQ(empty.size, 0u);
  wasm_val_vec_new_empty(&empty);
  wasm_val_vec_delete(&empty);
  wasm_val_vec_t raw;
  wasm_val_vec_new_uninitialized(&raw, 4);
  EXPECT_EQ(raw.size, 4u);
  wasm_val_vec_delete(&raw);

  wasm_val_t one = WASM_I32_VAL(9), two;
  wasm_val_copy(&two, &one);
  EXPECT_EQ(two.of.i32, 9);
  wasm_val_delete(&two);
}

TEST(ApiVectors, PointerValues) {
  int x = 0;
  wasm_val_t v;
  wasm_val_init_ptr(&v, &x);
  EXPECT_EQ(v.kind, sizeof(void*) == 8 ? WASM_I64 : WASM_I32);
  EXPECT_EQ(wasm_val_ptr(&v), &x);
}

TEST(ApiTypes, ValueTypes) {
  const wasm_valkind_t kinds[] = {WASM_I32, WASM_I64, WASM_F32, WASM_F64, WASM_EXTERNREF, WASM_FUNCREF};
  for (wasm_valkind_t k : kinds) {
    wasm_valtype_t* t = wasm_valtype_new(k);
    EXPECT_EQ(wasm_valtype_kind(t), k);
    EXPECT_EQ(wasm_valtype_is_num(t), k < WASM_EXTERNREF);
    EXPECT_EQ(wasm_valtype_is_ref(t), k >= WASM_EXTERNREF);
    wasm_valtype_t* c = wasm_valtype_copy(t);
    EXPECT_EQ(wasm_valtype_kind(c), k);
    wasm_valtype_delete(c);
    wasm_valtype_delete(t);
  }
  EXPECT_TRUE(wasm_valkind_is_num(WASM_F64));
  EXPECT_TRUE(wasm_valkind_is_ref(WASM_FUNCREF));
  EXPECT_EQ(WASM_ANYREF, WASM_EXTERNREF);
  wasm_valtype_t* shorthands[] = {wasm_valtype_new_i32(),       wasm_valtype_new_i64(),    wasm_valtype_new_f32(),
                                  wasm_valtype_new_f64(),       wasm_valtype_new_externref(),
                                  wasm_valtype_new_funcref(),   wasm_valtype_new_anyref()};
  const wasm_valkind_t expected[] = {WASM_I32,       WASM_I64,     WASM_F32,      WASM_F64,
                                     WASM_EXTERNREF, WASM_FUNCREF, WASM_EXTERNREF};
  wasm_valtype_vec_t vec;
  wasm_valtype_vec_new(&vec, 7, shorthands);
  for (size_t i = 0; i < 7; ++i) EXPECT_EQ(wasm_valtype_kind(vec.data[i]), expected[i]);
  wasm_valtype_vec_t copy;
  wasm_valtype_vec_copy(&copy, &vec);
  EXPECT_EQ(wasm_valtype_kind(copy.data[6]), WASM_EXTERNREF);
  wasm_valtype_vec_delete(&copy);
  wasm_valtype_vec_delete(&vec);
  wasm_valtype_vec_new_empty(&vec);
  wasm_valtype_vec_delete(&vec);
  wasm_valtype_vec_new_uninitialized(&vec, 2);
  vec.data[0] = wasm_valtype_new_i32();
  wasm_valtype_vec_delete(&vec);  // an unfilled slot is null
}

TEST(ApiTypes, FunctionTypes) {
  wasm_valtype_vec_t params, results;
  wasm_valtype_t* ps[] = {wasm_valtype_new_i32(), wasm_valtype_new_f64()};
  wasm_valtype_vec_new(&params, 2, ps);
  wasm_valtype_vec_new_empty(&results);
  wasm_functype_t* ft = wasm_functype_new(&params, &results);
  EXPECT_EQ(params.size, 0u);  // taken over
  ASSERT_EQ(wasm_functype_params(ft)->size, 2u);
  EXPECT_EQ(wasm_valtype_kind(wasm_functype_params(ft)->data[1]), WASM_F64);
  EXPECT_EQ(wasm_functype_results(ft)->size, 0u);

  wasm_functype_t* copy = wasm_functype_copy(ft);
  EXPECT_EQ(wasm_functype_params(copy)->size, 2u);
  wasm_externtype_t* et = wasm_functype_as_externtype(copy);
  EXPECT_EQ(wasm_externtype_kind(et), WASM_EXTERN_FUNC);
  EXPECT_EQ(wasm_externtype_as_functype(et), copy);
  EXPECT_EQ(wasm_externtype_as_globaltype(et), nullptr);
  EXPECT_EQ(wasm_externtype_as_functype_const(wasm_functype_as_externtype_const(copy)), copy);

  wasm_functype_t* list[] = {ft, copy};
  wasm_functype_vec_t vec;
  wasm_functype_vec_new(&vec, 2, list);
  wasm_functype_vec_t vec_copy;
  wasm_functype_vec_copy(&vec_copy, &vec);
  EXPECT_EQ(wasm_functype_params(vec_copy.data[1])->size, 2u);
  wasm_functype_vec_delete(&vec_copy);
  wasm_functype_vec_delete(&vec);
  wasm_functype_vec_new_empty(&vec);
  wasm_functype_vec_delete(&vec);
  wasm_functype_vec_new_uninitialized(&vec, 1);
  wasm_functype_vec_delete(&vec);
}

TEST(ApiTypes, FunctionTypeShorthands) {
  struct Case {
    wasm_functype_t* type;
    size_t params, results;
  };
  Case cases[] = {
      {wasm_functype_new_0_0(), 0, 0},
      {wasm_functype_new_1_0(wasm_valtype_new_i32()), 1, 0},
      {wasm_functype_new_2_0(wasm_valtype_new_i32(), wasm_valtype_new_i64()), 2, 0},
      {wasm_functype_new_3_0(wasm_valtype_new_i32(), wasm_valtype_new_i64(), wasm_valtype_new_f32()), 3, 0},
      {wasm_functype_new_0_1(wasm_valtype_new_i32()), 0, 1},
      {wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32()), 1, 1},
      {wasm_functype_new_2_1(wasm_valtype_new_i32(), wasm_valtype_new_i32(), wasm_valtype_new_f64()), 2, 1},
      {wasm_functype_new_3_1(wasm_valtype_new_i32(), wasm_valtype_new_i32(), wasm_valtype_new_i32(),
                             wasm_valtype_new_funcref()),
       3, 1},
      {wasm_functype_new_0_2(wasm_valtype_new_i32(), wasm_valtype_new_i32()), 0, 2},
      {wasm_functype_new_1_2(wasm_valtype_new_i32(), wasm_valtype_new_i32(), wasm_valtype_new_i64()), 1, 2},
      {wasm_functype_new_2_2(wasm_valtype_new_i32(), wasm_valtype_new_i32(), wasm_valtype_new_i32(),
                             wasm_valtype_new_externref()),
       2, 2},
      {wasm_functype_new_3_2(wasm_valtype_new_i32(), wasm_valtype_new_i32(), wasm_valtype_new_i32(),
                             wasm_valtype_new_i32(), wasm_valtype_new_f32()),
       3, 2},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(wasm_functype_params(c.type)->size, c.params);
    EXPECT_EQ(wasm_functype_results(c.type)->size, c.results);
    wasm_functype_delete(c.type);
  }
}

TEST(ApiTypes, GlobalTableAndMemoryTypes) {
  wasm_globaltype_t* gt = wasm_globaltype_new(wasm_valtype_new_f32(), WASM_VAR);
  EXPECT_EQ(wasm_valtype_kind(wasm_globaltype_content(gt)), WASM_F32);
  EXPECT_EQ(wasm_globaltype_mutability(gt), WASM_VAR);
  wasm_globaltype_t* gt2 = wasm_globaltype_copy(gt);
  EXPECT_EQ(wasm_globaltype_mutability(gt2), WASM_VAR);
  EXPECT_EQ(wasm_externtype_kind(wasm_globaltype_as_externtype_const(gt2)), WASM_EXTERN_GLOBAL);
  EXPECT_EQ(wasm_externtype_as_globaltype(wasm_globaltype_as_externtype(gt2)), gt2);
  EXPECT_EQ(wasm_externtype_as_globaltype_const(wasm_globaltype_as_externtype_const(gt2)), gt2);

  wasm_limits_t limits = {2, wasm_limits_max_default};
  wasm_tabletype_t* tt = wasm_tabletype_new(wasm_valtype_new_funcref(), &limits);
  EXPECT_EQ(wasm_valtype_kind(wasm_tabletype_element(tt)), WASM_FUNCREF);
  EXPECT_EQ(wasm_tabletype_limits(tt)->min, 2u);
  EXPECT_EQ(wasm_tabletype_limits(tt)->max, 0xffffffffu);
  wasm_tabletype_t* tt2 = wasm_tabletype_copy(tt);
  EXPECT_EQ(wasm_externtype_as_tabletype(wasm_tabletype_as_externtype(tt2)), tt2);
  EXPECT_EQ(wasm_externtype_as_tabletype_const(wasm_tabletype_as_externtype_const(tt2)), tt2);
  EXPECT_EQ(wasm_externtype_as_memorytype(wasm_tabletype_as_externtype(tt2)), nullptr);

  wasm_limits_t pages = {1, 4};
  wasm_memorytype_t* mt = wasm_memorytype_new(&pages);
  EXPECT_EQ(wasm_memorytype_limits(mt)->max, 4u);
  wasm_memorytype_t* mt2 = wasm_memorytype_copy(mt);
  EXPECT_EQ(wasm_memorytype_limits(mt2)->min, 1u);
  EXPECT_EQ(wasm_externtype_as_memorytype(wasm_memorytype_as_externtype(mt2)), mt2);
  EXPECT_EQ(wasm_externtype_as_memorytype_const(wasm_memorytype_as_externtype_const(mt2)), mt2);

  wasm_globaltype_t* globals[] = {gt2};
  wasm_globaltype_vec_t gv;
  wasm_globaltype_vec_new(&gv, 1, globals);
  wasm_globaltype_vec_t gv2;
  wasm_globaltype_vec_copy(&gv2, &gv);
  wasm_globaltype_vec_delete(&gv2);
  wasm_globaltype_vec_delete(&gv);
  wasm_globaltype_vec_new_empty(&gv);
  wasm_globaltype_vec_delete(&gv);
  wasm_globaltype_vec_new_uninitialized(&gv, 1);
  wasm_globaltype_vec_delete(&gv);

  wasm_tabletype_t* tables[] = {tt2};
  wasm_tabletype_vec_t tv;
  wasm_tabletype_vec_new(&tv, 1, tables);
  wasm_tabletype_vec_t tv2;
  wasm_tabletype_vec_copy(&tv2, &tv);
  wasm_tabletype_vec_delete(&tv2);
  wasm_tabletype_vec_delete(&tv);
  wasm_tabletype_vec_new_empty(&tv);
  wasm_tabletype_vec_delete(&tv);
  wasm_tabletype_vec_new_uninitialized(&tv, 1);
  wasm_tabletype_vec_delete(&tv);

  wasm_memorytype_t* memories[] = {mt2};
  wasm_memorytype_vec_t mv;
  wasm_memorytype_vec_new(&mv, 1, memories);
  wasm_memorytype_vec_t mv2;
  wasm_memorytype_vec_copy(&mv2, &mv);
  wasm_memorytype_vec_delete(&mv2);
  wasm_memorytype_vec_delete(&mv);
  wasm_memorytype_vec_new_empty(&mv);
  wasm_memorytype_vec_delete(&mv);
  wasm_memorytype_vec_new_uninitialized(&mv, 1);
  wasm_memorytype_vec_delete(&mv);

  wasm_globaltype_delete(gt);
  wasm_tabletype_delete(tt);
  wasm_memorytype_delete(mt);
}

TEST(ApiTypes, ExternImportAndExportTypes) {
  wasm_externtype_t* et = wasm_functype_as_externtype(wasm_functype_new_0_0());
  wasm_externtype_t* et2 = wasm_externtype_copy(et);
  EXPECT_EQ(wasm_externtype_kind(et2), WASM_EXTERN_FUNC);
  wasm_externtype_t* externs[] = {et2};
  wasm_externtype_vec_t ev;
  wasm_externtype_vec_new(&ev, 1, externs);
  wasm_externtype_vec_t ev2;
  wasm_externtype_vec_copy(&ev2, &ev);
  EXPECT_EQ(wasm_externtype_kind(ev2.data[0]), WASM_EXTERN_FUNC);
  wasm_externtype_vec_delete(&ev2);
  wasm_externtype_vec_delete(&ev);
  wasm_externtype_vec_new_empty(&ev);
  wasm_externtype_vec_delete(&ev);
  wasm_externtype_vec_new_uninitialized(&ev, 1);
  wasm_externtype_vec_delete(&ev);

  wasm_name_t module, name;
  wasm_name_new_from_string(&module, "env");
  wasm_name_new_from_string(&name, "f");
  wasm_importtype_t* it = wasm_importtype_new(&module, &name, et);
  EXPECT_EQ(name_of(wasm_importtype_module(it)), "env");
  EXPECT_EQ(name_of(wasm_importtype_name(it)), "f");
  EXPECT_EQ(wasm_externtype_kind(wasm_importtype_type(it)), WASM_EXTERN_FUNC);
  wasm_importtype_t* it2 = wasm_importtype_copy(it);
  EXPECT_EQ(name_of(wasm_importtype_name(it2)), "f");
  wasm_importtype_t* imports[] = {it2};
  wasm_importtype_vec_t iv;
  wasm_importtype_vec_new(&iv, 1, imports);
  wasm_importtype_vec_t iv2;
  wasm_importtype_vec_copy(&iv2, &iv);
  EXPECT_EQ(name_of(wasm_importtype_module(iv2.data[0])), "env");
  wasm_importtype_vec_delete(&iv2);
  wasm_importtype_vec_delete(&iv);
  wasm_importtype_vec_new_empty(&iv);
  wasm_importtype_vec_delete(&iv);
  wasm_importtype_vec_new_uninitialized(&iv, 1);
  wasm_importtype_vec_delete(&iv);
  wasm_importtype_delete(it);

  wasm_limits_t limits = {1, 1};
  wasm_name_t export_name;
  wasm_name_new_from_string(&export_name, "mem");
  wasm_exporttype_t* xt = wasm_exporttype_new(&export_name, wasm_memorytype_as_externtype(wasm_memorytype_new(&limits)));
  EXPECT_EQ(name_of(wasm_exporttype_name(xt)), "mem");
  EXPECT_EQ(wasm_externtype_kind(wasm_exporttype_type(xt)), WASM_EXTERN_MEMORY);
  wasm_exporttype_t* xt2 = wasm_exporttype_copy(xt);
  wasm_exporttype_t* exports[] = {xt2};
  wasm_exporttype_vec_t xv;
  wasm_exporttype_vec_new(&xv, 1, exports);
  wasm_exporttype_vec_t xv2;
  wasm_exporttype_vec_copy(&xv2, &xv);
  EXPECT_EQ(name_of(wasm_exporttype_name(xv2.data[0])), "mem");
  wasm_exporttype_vec_delete(&xv2);
  wasm_exporttype_vec_delete(&xv);
  wasm_exporttype_vec_new_empty(&xv);
  wasm_exporttype_vec_delete(&xv);
  wasm_exporttype_vec_new_uninitialized(&xv, 1);
  wasm_exporttype_vec_delete(&xv);
  wasm_exporttype_delete(xt);
}

}  // namespace
}  // namespace weft::api_test
