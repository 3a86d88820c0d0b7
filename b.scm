(voice_cmu_us_slt_arctic_hts)
(print (lex.lookup "before" nil))(print (lex.lookup "before" (quote in)))(print (lex.lookup "a" nil))(print (lex.lookup "a" (quote dt)))(print (lex.lookup "a" (quote nn)))(print (lex.lookup "use" (quote n)))(print (lex.lookup "the" nil))
