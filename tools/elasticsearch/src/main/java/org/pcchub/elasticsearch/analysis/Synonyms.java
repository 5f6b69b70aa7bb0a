package org.pcchub.elasticsearch.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.synonym.SolrSynonymParser;
import org.apache.lucene.analysis.synonym.SynonymFilter;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymMap;
import org.apache.lucene.analysis.synonym.WordnetSynonymParser;
import org.apache.lucene.util.CharsRef;
import org.apache.lucene.util.CharsRefBuilder;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexService.IndexCreationContext;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalysisMode;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.CustomAnalyzer;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.text.ParseException;
import java.util.List;
import java.util.function.Function;

/**
 * {@code synonym_graph} (and {@code synonym}) with the stock parameters: {@code synonyms} (inline rules) or
 * {@code synonyms_path} (file under the config directory), {@code format} ({@code solr}, the default, or
 * {@code wordnet}), {@code expand} (true), {@code lenient} (false, or true when {@code updateable}),
 * {@code updateable} (false; true makes the filter search-time only).
 *
 * <p>As in stock Elasticsearch the rules are analysed with the part of the analyzer that precedes the
 * filter (tokenizer, char filters and earlier token filters), so a rule matches what the stream
 * contains at that point. {@code synonyms_set} (rules stored in the cluster) is not provided.
 */
final class Synonyms extends AbstractTokenFilterFactory {

    static AnalysisProvider<TokenFilterFactory> graph() {
        return (indexSettings, env, name, settings) -> new Synonyms(env, name, settings, true);
    }

    static AnalysisProvider<TokenFilterFactory> flat() {
        return (indexSettings, env, name, settings) -> new Synonyms(env, name, settings, false);
    }

    private final Environment env;
    private final Settings settings;
    private final boolean graph;
    private final boolean expand;
    private final boolean lenient;
    private final String format;
    private final AnalysisMode analysisMode;

    private Synonyms(Environment env, String name, Settings settings, boolean graph) {
        super(name);
        this.env = env;
        this.settings = settings;
        this.graph = graph;
        boolean updateable = settings.getAsBoolean("updateable", false);
        this.expand = settings.getAsBoolean("expand", true);
        this.lenient = settings.getAsBoolean("lenient", updateable);
        this.format = settings.get("format", "");
        this.analysisMode = updateable ? AnalysisMode.SEARCH_TIME : AnalysisMode.ALL;
        if (settings.hasValue("synonyms") == false && settings.hasValue("synonyms_path") == false) {
            if (settings.hasValue("synonyms_set")) {
                throw new IllegalArgumentException(
                    "[synonyms_set] is not provided by the pcc-analysis dev plugin; use inline `synonyms` or `synonyms_path`"
                );
            }
            throw new IllegalArgumentException("synonym requires either `synonyms`, `synonyms_set` or `synonyms_path` to be configured");
        }
    }

    @Override
    public AnalysisMode getAnalysisMode() {
        return analysisMode;
    }

    @Override
    public TokenStream create(TokenStream tokenStream) {
        throw new IllegalStateException("synonym filters are specialised per analyzer chain first");
    }

    @Override
    public TokenFilterFactory getChainAwareTokenFilterFactory(
        IndexCreationContext context,
        TokenizerFactory tokenizer,
        List<CharFilterFactory> charFilters,
        List<TokenFilterFactory> previousTokenFilters,
        Function<String, TokenFilterFactory> allFilters
    ) {
        Analyzer ruleAnalyzer = new CustomAnalyzer(
            tokenizer,
            charFilters.toArray(new CharFilterFactory[0]),
            previousTokenFilters.stream().map(TokenFilterFactory::getSynonymFilter).toArray(TokenFilterFactory[]::new)
        );
        SynonymMap map = build(ruleAnalyzer);
        String name = name();
        boolean isGraph = graph;
        AnalysisMode mode = analysisMode;
        return new TokenFilterFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public TokenStream create(TokenStream in) {
                if (map.fst == null) {
                    return in;
                }
                return isGraph ? new SynonymGraphFilter(in, map, false) : new SynonymFilter(in, map, false);
            }

            @Override
            public TokenFilterFactory getSynonymFilter() {
                return IDENTITY_FILTER; // a later synonym filter must not see this one's output
            }

            @Override
            public AnalysisMode getAnalysisMode() {
                return mode;
            }
        };
    }

    private SynonymMap build(Analyzer analyzer) {
        String origin;
        try (Reader rules = rulesReader()) {
            origin = settings.hasValue("synonyms") ? "'" + name() + "' analyzer settings" : settings.get("synonyms_path");
            try {
                if ("wordnet".equalsIgnoreCase(format)) {
                    WordnetSynonymParser parser = new LenientWordnet(expand, lenient, analyzer);
                    parser.parse(rules);
                    return parser.build();
                }
                SolrSynonymParser parser = new LenientSolr(expand, lenient, analyzer);
                parser.parse(rules);
                return parser.build();
            } catch (IOException | ParseException | RuntimeException e) {
                throw new IllegalArgumentException("failed to build synonyms from [" + origin + "]", e);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("failed to read synonyms for [" + name() + "]", e);
        }
    }

    private Reader rulesReader() {
        if (settings.hasValue("synonyms")) {
            return new StringReader(String.join("\n", Analysis.getWordList(env, settings, "synonyms")) + "\n");
        }
        return Analysis.getReaderFromFile(env, settings.get("synonyms_path"), "synonyms");
    }

    /**
     * With {@code lenient}, a rule term that the analyzer rejects (e.g. a stop word) is dropped instead of
     * failing the whole index: the analyzer returns an empty term and {@code add} skips empty mappings.
     * Both parsers below do this through {@link #analyzeLeniently} and {@link #keeps}.
     */
    private static final class LenientSolr extends SolrSynonymParser {
        private final boolean lenient;

        LenientSolr(boolean expand, boolean lenient, Analyzer analyzer) {
            super(true, expand, analyzer);
            this.lenient = lenient;
        }

        @Override
        public CharsRef analyze(String text, CharsRefBuilder reuse) throws IOException {
            return analyzeLeniently(lenient, reuse, () -> super.analyze(text, reuse));
        }

        @Override
        public void add(CharsRef input, CharsRef output, boolean includeOrig) {
            if (keeps(lenient, input, output)) {
                super.add(input, output, includeOrig);
            }
        }
    }

    private static final class LenientWordnet extends WordnetSynonymParser {
        private final boolean lenient;

        LenientWordnet(boolean expand, boolean lenient, Analyzer analyzer) {
            super(true, expand, analyzer);
            this.lenient = lenient;
        }

        @Override
        public CharsRef analyze(String text, CharsRefBuilder reuse) throws IOException {
            return analyzeLeniently(lenient, reuse, () -> super.analyze(text, reuse));
        }

        @Override
        public void add(CharsRef input, CharsRef output, boolean includeOrig) {
            if (keeps(lenient, input, output)) {
                super.add(input, output, includeOrig);
            }
        }
    }

    /** A parser's own analysis of a rule term. */
    @FunctionalInterface
    private interface TermAnalysis {
        CharsRef analyze() throws IOException;
    }

    /** The term as {@code analysis} gives it; when lenient, an empty term where the analyzer rejects it. */
    private static CharsRef analyzeLeniently(boolean lenient, CharsRefBuilder reuse, TermAnalysis analysis) throws IOException {
        try {
            return analysis.analyze();
        } catch (IllegalArgumentException e) {
            if (lenient == false) {
                throw e;
            }
            reuse.clear();
            return reuse.get();
        }
    }

    /** Whether a mapping is added: always, unless lenient and one side was dropped (empty). */
    private static boolean keeps(boolean lenient, CharsRef input, CharsRef output) {
        return lenient == false || (input.length > 0 && output.length > 0);
    }
}
