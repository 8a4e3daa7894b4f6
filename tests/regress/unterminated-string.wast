(assert_malformed (module quote "(module") "unexpected end")
(module "
