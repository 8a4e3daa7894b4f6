(module) ;; ÿþ
