package org.pcchub.elasticsearch.analysis;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.PatternKeywordMarkerFilter;
import org.apache.lucene.analysis.miscellaneous.SetKeywordMarkerFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.tartarus.snowball.ext.EnglishStemmer;

import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/** Configurable token filters (the {@code "type": ...} forms), with the stock parameter names and defaults. */
final class TokenFilters {

    private TokenFilters() {}

    /** {@code asciifolding}: {@code preserve_original} (default false). */
    static final class AsciiFolding extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        private final boolean preserveOriginal;

        AsciiFolding(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name);
            preserveOriginal = settings.getAsBoolean("preserve_original", false);
        }

        @Override
        public TokenStream create(TokenStream in) {
            return new ASCIIFoldingFilter(in, preserveOriginal);
        }

        @Override
        public TokenStream normalize(TokenStream in) {
            return new ASCIIFoldingFilter(in, false); // normalizers must emit one token
        }

        @Override
        public TokenFilterFactory getSynonymFilter() {
            // Synonym rules are parsed without the extra (original) token, as in stock Elasticsearch.
            return preserveOriginal ? new Anonymous(name(), in -> new ASCIIFoldingFilter(in, false)) : this;
        }
    }

    /**
     * {@code stemmer}: {@code language} (alias {@code name}), default {@code porter}. Only the English
     * stemmers are provided; any other language is rejected rather than silently not stemmed.
     */
    static final class Stemmer extends AbstractTokenFilterFactory {
        private static final Map<String, UnaryOperator<TokenStream>> ENGLISH = Map.of(
            "english", PorterStemFilter::new,
            "porter", PorterStemFilter::new,
            "light_english", KStemFilter::new,
            "kstem", KStemFilter::new,
            "minimal_english", EnglishMinimalStemFilter::new,
            "possessive_english", EnglishPossessiveFilter::new,
            "porter2", in -> new SnowballFilter(in, new EnglishStemmer())
        );
        private final UnaryOperator<TokenStream> stemmer;

        Stemmer(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name);
            String language = settings.get("language", settings.get("name", "porter")).toLowerCase(Locale.ROOT);
            stemmer = ENGLISH.get(language);
            if (stemmer == null) {
                throw new IllegalArgumentException(
                    "stemmer language [" + language + "] is not provided by the pcc-analysis dev plugin (supported: "
                        + new java.util.TreeSet<>(ENGLISH.keySet()) + "); production Elasticsearch has it"
                );
            }
        }

        @Override
        public TokenStream create(TokenStream in) {
            return stemmer.apply(in);
        }
    }

    /** A filter without parameters ({@code porter_stem}, {@code kstem}): any settings are ignored. */
    static AnalysisProvider<TokenFilterFactory> withoutParameters(UnaryOperator<TokenStream> filter) {
        return (indexSettings, env, name, settings) -> new Anonymous(name, filter);
    }

    /**
     * {@code keyword_marker}: {@code keywords} / {@code keywords_path} or {@code keywords_pattern}, and
     * {@code ignore_case} (false). Protects words from the stemmers that follow it.
     */
    static final class KeywordMarker extends AbstractTokenFilterFactory {
        private final CharArraySet keywords;
        private final Pattern pattern;

        KeywordMarker(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name);
            boolean ignoreCase = settings.getAsBoolean("ignore_case", false);
            String patternString = settings.get("keywords_pattern");
            CharArraySet words = Analysis.getWordSet(env, settings, "keywords");
            if (patternString != null && words != null) {
                throw new IllegalArgumentException("cannot specify both `keywords_pattern` and `keywords` or `keywords_path`");
            }
            if (patternString == null && words == null) {
                throw new IllegalArgumentException("keyword filter requires either `keywords`, `keywords_path`, or `keywords_pattern` to be configured");
            }
            pattern = patternString == null ? null : Pattern.compile(patternString);
            keywords = words == null ? null : new CharArraySet(words, ignoreCase);
        }

        @Override
        public TokenStream create(TokenStream in) {
            return pattern != null ? new PatternKeywordMarkerFilter(in, pattern) : new SetKeywordMarkerFilter(in, keywords);
        }
    }

    /** A named factory from a function: the filters without parameters, and synonym-parsing variants. */
    record Anonymous(String name, UnaryOperator<TokenStream> filter) implements TokenFilterFactory {
        @Override
        public TokenStream create(TokenStream in) {
            return filter.apply(in);
        }
    }
}
