package org.pcchub.elasticsearch.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenizer;
import org.apache.lucene.analysis.ngram.NGramTokenFilter;
import org.apache.lucene.analysis.ngram.NGramTokenizer;
import org.apache.lucene.analysis.reverse.ReverseStringFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.AbstractTokenizerFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;

/**
 * {@code ngram} and {@code edge_ngram}, as tokenizers and as token filters. Parameters as in stock
 * Elasticsearch: {@code min_gram}, {@code max_gram} (defaults 1 and 2), tokenizers: {@code token_chars}
 * (+ {@code custom_token_chars}), filters: {@code preserve_original}, edge filter: {@code side}.
 * {@code ngram} enforces the index setting {@code index.max_ngram_diff} (default 1).
 */
final class NGrams {

    private NGrams() {}

    /** Character classes for {@code token_chars}: the five named groups plus Java's Unicode categories. */
    private static final Map<String, IntPredicate> CHAR_CLASSES = charClasses();

    private static Map<String, IntPredicate> charClasses() {
        Map<String, IntPredicate> classes = new TreeMap<>();
        classes.put("letter", Character::isLetter);
        classes.put("digit", Character::isDigit);
        classes.put("whitespace", Character::isWhitespace);
        classes.put("punctuation", c -> switch (Character.getType(c)) {
            case Character.START_PUNCTUATION, Character.END_PUNCTUATION, Character.OTHER_PUNCTUATION,
                Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                Character.FINAL_QUOTE_PUNCTUATION -> true;
            default -> false;
        });
        classes.put("symbol", c -> switch (Character.getType(c)) {
            case Character.CURRENCY_SYMBOL, Character.MATH_SYMBOL, Character.OTHER_SYMBOL, Character.MODIFIER_SYMBOL -> true;
            default -> false;
        });
        for (Field field : Character.class.getFields()) {
            int mod = field.getModifiers();
            if (field.getType() == byte.class && Modifier.isStatic(mod) && field.getName().startsWith("DIRECTIONALITY") == false) {
                try {
                    byte category = field.getByte(null);
                    classes.putIfAbsent(field.getName().toLowerCase(Locale.ROOT), c -> Character.getType(c) == category);
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return classes;
    }

    /** Returns null when {@code token_chars} is empty: keep every character. */
    static IntPredicate parseTokenChars(Settings settings) {
        List<String> names = settings.getAsList("token_chars");
        if (names == null || names.isEmpty()) {
            return null;
        }
        IntPredicate result = c -> false;
        for (String raw : names) {
            String name = raw.toLowerCase(Locale.ROOT).trim();
            IntPredicate matcher = CHAR_CLASSES.get(name);
            if (matcher == null) {
                if (name.equals("custom") == false) {
                    throw new IllegalArgumentException("Unknown token type: '" + name + "', must be one of " + CHAR_CLASSES.keySet() + " or custom");
                }
                String custom = settings.get("custom_token_chars");
                if (custom == null) {
                    throw new IllegalArgumentException("Token type: 'custom' requires setting `custom_token_chars`");
                }
                Set<Integer> chars = custom.codePoints().boxed().collect(Collectors.toSet());
                matcher = chars::contains;
            }
            result = result.or(matcher);
        }
        return result;
    }

    private static void checkNgramDiff(IndexSettings indexSettings, int minGram, int maxGram, String what) {
        int allowed = indexSettings.getMaxNgramDiff();
        if (maxGram - minGram > allowed) {
            throw new IllegalArgumentException(
                "The difference between max_gram and min_gram in NGram " + what + " must be less than or equal to: ["
                    + allowed + "] but was [" + (maxGram - minGram) + "]. This limit can be set by changing the ["
                    + IndexSettings.MAX_NGRAM_DIFF_SETTING.getKey() + "] index level setting."
            );
        }
    }

    /**
     * What both tokenizers share: {@code min_gram} and {@code max_gram} (defaults 1 and 2), with
     * {@code index.max_ngram_diff} enforced when {@code limitsDiff}, then {@code token_chars}.
     */
    private abstract static class GramTokenizerFactory extends AbstractTokenizerFactory {
        private final int minGram;
        private final int maxGram;
        private final IntPredicate tokenChars;

        GramTokenizerFactory(IndexSettings indexSettings, String name, Settings settings, boolean limitsDiff) {
            super(name);
            minGram = settings.getAsInt("min_gram", NGramTokenizer.DEFAULT_MIN_NGRAM_SIZE);
            maxGram = settings.getAsInt("max_gram", NGramTokenizer.DEFAULT_MAX_NGRAM_SIZE);
            if (limitsDiff) {
                checkNgramDiff(indexSettings, minGram, maxGram, "Tokenizer");
            }
            tokenChars = parseTokenChars(settings);
        }

        /** The Lucene tokenizer; {@code tokenChars} null keeps every character. */
        abstract Tokenizer tokenizer(int minGram, int maxGram, IntPredicate tokenChars);

        @Override
        public Tokenizer create() {
            return tokenizer(minGram, maxGram, tokenChars);
        }
    }

    static final class NGramTokenizerFactory extends GramTokenizerFactory {
        NGramTokenizerFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(indexSettings, name, settings, true);
        }

        @Override
        Tokenizer tokenizer(int minGram, int maxGram, IntPredicate tokenChars) {
            if (tokenChars == null) {
                return new NGramTokenizer(minGram, maxGram);
            }
            return new NGramTokenizer(minGram, maxGram) {
                @Override
                protected boolean isTokenChar(int chr) {
                    return tokenChars.test(chr);
                }
            };
        }
    }

    /** Any other setting (e.g. Wagtail's legacy {@code "side": "front"}) is ignored, as in stock Elasticsearch. */
    static final class EdgeNGramTokenizerFactory extends GramTokenizerFactory {
        EdgeNGramTokenizerFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(indexSettings, name, settings, false);
        }

        @Override
        Tokenizer tokenizer(int minGram, int maxGram, IntPredicate tokenChars) {
            if (tokenChars == null) {
                return new EdgeNGramTokenizer(minGram, maxGram);
            }
            return new EdgeNGramTokenizer(minGram, maxGram) {
                @Override
                protected boolean isTokenChar(int chr) {
                    return tokenChars.test(chr);
                }
            };
        }
    }

    /**
     * What both token filters share: {@code min_gram} and {@code max_gram} (defaults 1 and 2) and
     * {@code preserve_original} (false); neither can parse synonym rules.
     */
    private abstract static class GramFilter extends AbstractTokenFilterFactory {
        final int minGram;
        final int maxGram;
        final boolean preserveOriginal;

        GramFilter(String name, Settings settings) {
            super(name);
            minGram = settings.getAsInt("min_gram", 1);
            maxGram = settings.getAsInt("max_gram", 2);
            preserveOriginal = settings.getAsBoolean("preserve_original", false);
        }

        @Override
        public TokenFilterFactory getSynonymFilter() {
            throw new IllegalArgumentException("Token filter [" + name() + "] cannot be used to parse synonyms");
        }
    }

    static final class NGramFilter extends GramFilter {
        NGramFilter(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            checkNgramDiff(indexSettings, minGram, maxGram, "Tokenizer");
        }

        @Override
        public TokenStream create(TokenStream in) {
            return new NGramTokenFilter(in, minGram, maxGram, preserveOriginal);
        }
    }

    /** {@code side: back} is emulated as in stock Elasticsearch: reverse, take front grams, reverse again. */
    static final class EdgeNGramFilter extends GramFilter {
        private final boolean back;

        EdgeNGramFilter(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            String side = settings.get("side", "front");
            back = switch (side) {
                case "front" -> false;
                case "back" -> true;
                default -> throw new IllegalArgumentException("invalid side: " + side);
            };
        }

        @Override
        public TokenStream create(TokenStream in) {
            TokenStream result = back ? new ReverseStringFilter(in) : in;
            result = new EdgeNGramTokenFilter(result, minGram, maxGram, preserveOriginal);
            return back ? new ReverseStringFilter(result) : result;
        }

        @Override
        public boolean breaksFastVectorHighlighter() {
            return true;
        }
    }
}
