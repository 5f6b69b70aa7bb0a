package org.pcchub.elasticsearch.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenizer;
import org.apache.lucene.analysis.ngram.NGramTokenFilter;
import org.apache.lucene.analysis.ngram.NGramTokenizer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.PreBuiltAnalyzerProviderFactory;
import org.elasticsearch.index.analysis.PreConfiguredTokenFilter;
import org.elasticsearch.index.analysis.PreConfiguredTokenizer;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.indices.analysis.PreBuiltCacheFactory.CachingStrategy;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.RestHandler;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.elasticsearch.plugins.AnalysisPlugin.requiresAnalysisSettings;

/**
 * Development/CI stand-in for the parts of Elasticsearch's {@code analysis-common} module (and the
 * {@code rest-root} module) that the PCC Knowledge Hub's index settings use. Elastic does not
 * publish those modules to Maven Central; the minimal "integ-test-zip" distribution lacks them.
 *
 * <p>Every component keeps the name, parameters and defaults of the stock one, so the same index
 * settings work unchanged on a production cluster (which has the real module). Each factory is a
 * thin layer over the Lucene class that the stock component also uses; parity is checked from
 * Python by {@code tests/search/test_elasticsearch_analysis.py}.
 *
 * <p>Provided:
 * <ul>
 *   <li>analyzer: {@code english}</li>
 *   <li>token filters: {@code asciifolding}, {@code stemmer} (English variants only),
 *       {@code porter_stem}, {@code kstem}, {@code keyword_marker}, {@code synonym_graph},
 *       {@code synonym}, {@code edge_ngram}, {@code ngram}</li>
 *   <li>tokenizers: {@code edge_ngram}, {@code ngram}, {@code whitespace}, {@code keyword}</li>
 *   <li>REST: {@code GET /} and {@code HEAD /} (the client's {@code info()} and {@code ping()})</li>
 * </ul>
 * Server core already has the configurable {@code stop} filter (with {@code _english_} default), the
 * {@code standard} tokenizer and the {@code lowercase} filter; this plugin adds the pre-configured
 * {@code stop} (usable by name) only.
 * Anything else from analysis-common (other languages, {@code html_strip}, {@code word_delimiter},
 * the {@code lowercase}/{@code letter} tokenizers, ...) is deliberately absent: using it fails
 * loudly with "unknown ..." instead of behaving differently from production.
 */
public class PccAnalysisPlugin extends Plugin implements AnalysisPlugin, ActionPlugin {

    private volatile ClusterService clusterService;

    @Override
    public Collection<?> createComponents(PluginServices services) {
        this.clusterService = services.clusterService();
        return List.of();
    }

    @Override
    public Collection<RestHandler> getRestHandlers(
        RestHandlersServices restHandlersServices,
        Supplier<DiscoveryNodes> nodesInCluster,
        Predicate<NodeFeature> clusterSupportsFeature
    ) {
        return List.of(new RestRootAction(() -> clusterService));
    }

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        return Map.of("english", EnglishAnalyzerProvider::new);
    }

    @Override
    public List<PreBuiltAnalyzerProviderFactory> getPreBuiltAnalyzerProviderFactories() {
        // "analyzer": "english" without any index settings, as in stock Elasticsearch.
        return List.of(new PreBuiltAnalyzerProviderFactory("english", CachingStrategy.LUCENE, EnglishAnalyzer::new));
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        Map<String, AnalysisProvider<TokenFilterFactory>> filters = new TreeMap<>();
        filters.put("asciifolding", TokenFilters.AsciiFolding::new);
        filters.put("stemmer", TokenFilters.Stemmer::new);
        filters.put("porter_stem", TokenFilters.withoutParameters(PorterStemFilter::new));
        filters.put("kstem", TokenFilters.withoutParameters(KStemFilter::new));
        filters.put("keyword_marker", requiresAnalysisSettings(TokenFilters.KeywordMarker::new));
        filters.put("edge_ngram", NGrams.EdgeNGramFilter::new);
        filters.put("ngram", NGrams.NGramFilter::new);
        filters.put("synonym_graph", requiresAnalysisSettings(Synonyms.graph()));
        filters.put("synonym", requiresAnalysisSettings(Synonyms.flat()));
        return filters;
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return Map.of(
            "edge_ngram", NGrams.EdgeNGramTokenizerFactory::new,
            "ngram", NGrams.NGramTokenizerFactory::new,
            "whitespace", (indexSettings, env, name, settings) -> {
                int maxTokenLength = settings.getAsInt("max_token_length", StandardAnalyzer.DEFAULT_MAX_TOKEN_LENGTH);
                return TokenizerFactory.newFactory(name, () -> new WhitespaceTokenizer(TokenStream.DEFAULT_TOKEN_ATTRIBUTE_FACTORY, maxTokenLength));
            },
            "keyword", (indexSettings, env, name, settings) -> {
                int bufferSize = settings.getAsInt("buffer_size", KeywordTokenizer.DEFAULT_BUFFER_SIZE);
                return TokenizerFactory.newFactory(name, () -> new KeywordTokenizer(bufferSize));
            }
        );
    }

    /** Components usable by name without a definition in the index settings, with stock defaults. */
    @Override
    public List<PreConfiguredTokenFilter> getPreConfiguredTokenFilters() {
        return List.of(
            PreConfiguredTokenFilter.singleton("asciifolding", true, ASCIIFoldingFilter::new),
            PreConfiguredTokenFilter.singleton("stop", false, in -> new StopFilter(in, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET)),
            PreConfiguredTokenFilter.singleton("stemmer", false, PorterStemFilter::new),
            PreConfiguredTokenFilter.singleton("porter_stem", false, PorterStemFilter::new),
            PreConfiguredTokenFilter.singleton("kstem", false, KStemFilter::new),
            // The built-in edge_ngram filter makes 1-character grams (max_gram defaults to 1 here, 2 when configured).
            PreConfiguredTokenFilter.singleton("edge_ngram", false, false, in -> new EdgeNGramTokenFilter(in, 1, 1, false)),
            PreConfiguredTokenFilter.singleton("ngram", false, false, in -> new NGramTokenFilter(in, 1, 2, false))
        );
    }

    @Override
    public List<PreConfiguredTokenizer> getPreConfiguredTokenizers() {
        return List.of(
            PreConfiguredTokenizer.singleton("edge_ngram", () -> new EdgeNGramTokenizer(1, 2)),
            PreConfiguredTokenizer.singleton("ngram", NGramTokenizer::new),
            PreConfiguredTokenizer.singleton("whitespace", WhitespaceTokenizer::new),
            PreConfiguredTokenizer.singleton("keyword", KeywordTokenizer::new)
        );
    }
}
