// The IRIs of the bundled world graph: its namespace, its classes and its relations with their labels and comments.
package io.synod.kg.world;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The vocabulary of the world graph ({@code http://synod.io/world/}).
 *
 * <p>Relation local names are short lowercase words joined by hyphens; none ends in {@code -of}, because
 * paths write the inverse of a relation as {@code <name>-of} or {@code ^<name>} (for example
 * {@code Lomé capital-of currency}). Every relation carries a label and a one-line comment that a
 * language model reads when it chooses which edge to follow.
 */
public final class WorldVocabulary {

    public static final String NAMESPACE = "http://synod.io/world/";
    public static final String RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
    public static final String RDF_PROPERTY = "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property";
    public static final String RDFS_CLASS = "http://www.w3.org/2000/01/rdf-schema#Class";
    public static final String RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label";
    public static final String RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment";
    public static final String RDFS_DOMAIN = "http://www.w3.org/2000/01/rdf-schema#domain";
    public static final String RDFS_RANGE = "http://www.w3.org/2000/01/rdf-schema#range";
    public static final String SKOS_ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel";
    public static final String XSD = "http://www.w3.org/2001/XMLSchema#";

    private WorldVocabulary() {}

    /** The classes of the world graph; each class node has a label and a comment. */
    public enum WorldClass {
        COUNTRY("Country", "a country or territory with an ISO 3166-1 code"),
        CITY("City", "a populated place (city, town or village)"),
        REGION("Region", "a broad world region such as Africa or the Americas"),
        SUBREGION("Subregion", "a part of a world region such as Western Africa"),
        CONTINENT("Continent", "one of the seven continents"),
        LANGUAGE("Language", "a human language"),
        CURRENCY("Currency", "a currency with an ISO 4217 code"),
        SYNSET("Synset", "a WordNet noun sense: a set of synonymous nouns with one meaning");

        private final String label;
        private final String comment;

        WorldClass(String label, String comment) {
            this.label = label;
            this.comment = comment;
        }

        public String iri() {
            return NAMESPACE + "class/" + label;
        }

        public String label() {
            return label;
        }

        public String comment() {
            return comment;
        }
    }

    /**
     * The relations of the world graph. {@code range} is a class for edges between nodes, or the XSD
     * datatype local name for literal-valued relations.
     */
    public enum Relation {
        CAPITAL("capital", "capital", "the capital city of a country (country -> city)",
                WorldClass.COUNTRY, WorldClass.CITY.iri()),
        CURRENCY("currency", "currency", "a currency used in a country (country -> currency)",
                WorldClass.COUNTRY, WorldClass.CURRENCY.iri()),
        LANGUAGE("language", "official language", "an official language of a country (country -> language)",
                WorldClass.COUNTRY, WorldClass.LANGUAGE.iri()),
        REGION("region", "region", "the world region a country lies in (country -> region)",
                WorldClass.COUNTRY, WorldClass.REGION.iri()),
        SUBREGION("subregion", "subregion", "the subregion of the world a country lies in (country -> subregion)",
                WorldClass.COUNTRY, WorldClass.SUBREGION.iri()),
        CONTINENT("continent", "continent", "the continent a country lies on (country -> continent)",
                WorldClass.COUNTRY, WorldClass.CONTINENT.iri()),
        BORDERS("borders", "borders", "a country that shares a land border with this country (country -> country)",
                WorldClass.COUNTRY, WorldClass.COUNTRY.iri()),
        COUNTRY("country", "country", "the country a city is in (city -> country)",
                WorldClass.CITY, WorldClass.COUNTRY.iri()),
        POPULATION("population", "population", "the number of people living in a city (city -> integer)",
                WorldClass.CITY, XSD + "integer"),
        AREA("area", "area", "the area of a country in square kilometres (country -> decimal)",
                WorldClass.COUNTRY, XSD + "decimal"),
        LANDLOCKED("landlocked", "landlocked", "whether a country has no coastline (country -> boolean)",
                WorldClass.COUNTRY, XSD + "boolean"),
        INDEPENDENT("independent", "independent", "whether a country is a sovereign state (country -> boolean)",
                WorldClass.COUNTRY, XSD + "boolean"),
        UN_MEMBER("un-member", "UN member", "whether a country is a member of the United Nations (country -> boolean)",
                WorldClass.COUNTRY, XSD + "boolean"),
        DEMONYM("demonym", "demonym", "the English word for the people of a country, e.g. Togolese (country -> text)",
                WorldClass.COUNTRY, XSD + "string"),
        ISO_CODE("iso-code", "ISO code",
                "an ISO code of a country (ISO 3166-1 alpha-2 and alpha-3), currency (ISO 4217) or language (ISO 639-3) (node -> text)",
                null, XSD + "string"),
        GLOSS("gloss", "gloss (definition)", "the dictionary definition of a noun sense, with examples (synset -> text)",
                WorldClass.SYNSET, XSD + "string"),
        HYPERNYM("hypernym", "hypernym (is a kind of)",
                "hypernym: the more general kind of thing this noun sense is a kind of, e.g. dog -> canine (synset -> synset)",
                WorldClass.SYNSET, WorldClass.SYNSET.iri()),
        INSTANCE_HYPERNYM("instance-hypernym", "instance hypernym (is an instance of)",
                "instance-hypernym: the kind of thing this named individual is an instance of, e.g. Togo -> African country (synset -> synset)",
                WorldClass.SYNSET, WorldClass.SYNSET.iri()),
        PART_HOLONYM("part-holonym", "part holonym (is a part of)",
                "part-holonym: the whole that this noun sense is a part of, e.g. finger -> hand (synset -> synset)",
                WorldClass.SYNSET, WorldClass.SYNSET.iri());

        private final String localName;
        private final String label;
        private final String comment;
        private final WorldClass domain;
        private final String range;

        Relation(String localName, String label, String description, WorldClass domain, String range) {
            if (localName.endsWith("-of")) {
                throw new IllegalStateException("relation names must not end in -of: " + localName);
            }
            this.localName = localName;
            this.label = label;
            this.comment = description.startsWith(localName + ":") ? description : localName + ": " + description;
            this.domain = domain;
            this.range = range;
        }

        public String iri() {
            return NAMESPACE + "rel/" + localName;
        }

        public String localName() {
            return localName;
        }

        public String label() {
            return label;
        }

        public String comment() {
            return comment;
        }

        /** The class of the subjects, or null where several classes use the relation. */
        public WorldClass domain() {
            return domain;
        }

        public String range() {
            return range;
        }
    }

    public static String countryIri(String alpha3Code) {
        return NAMESPACE + "country/" + alpha3Code;
    }

    public static String cityIri(long geonamesId) {
        return NAMESPACE + "city/" + geonamesId;
    }

    /** A capital named by world-countries that no GeoNames city in that country matches. */
    public static String unmatchedCapitalIri(String alpha3Code, String capitalName) {
        return NAMESPACE + "city/capital-" + alpha3Code + "-" + slug(capitalName);
    }

    public static String regionIri(String name) {
        return NAMESPACE + "region/" + slug(name);
    }

    public static String subregionIri(String name) {
        return NAMESPACE + "subregion/" + slug(name);
    }

    public static String continentIri(String code) {
        return NAMESPACE + "continent/" + code;
    }

    public static String languageIri(String code) {
        return NAMESPACE + "language/" + code;
    }

    public static String currencyIri(String code) {
        return NAMESPACE + "currency/" + code;
    }

    /** WordNet synset IRIs carry the 8-digit byte offset in the data file and the part of speech. */
    public static String synsetIri(String offset, char partOfSpeech) {
        return NAMESPACE + "synset/" + offset + "-" + partOfSpeech;
    }

    /** Lowercase ASCII letters and digits joined by single hyphens: "Côte d'Ivoire" becomes "cote-d-ivoire". */
    public static String slug(String text) {
        String folded = foldAccents(text).toLowerCase(Locale.ROOT);
        String slug = folded.replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+)|(-+$)", "");
        return slug.isEmpty() ? "x" + Integer.toHexString(text.hashCode()) : slug;
    }

    /**
     * The form used to compare names regardless of case, accents and punctuation:
     * "Lomé" and "LOME" match, as do "Washington, D.C." and "Washington D.C.".
     */
    public static String matchKey(String name) {
        String folded = foldAccents(name).toLowerCase(Locale.ROOT);
        return folded.replaceAll("[^\\p{L}\\p{N}]+", " ").trim();
    }

    private static String foldAccents(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
        // Letters that have no decomposition into a base letter and a mark.
        return decomposed.replace("ø", "o").replace("Ø", "O").replace("ł", "l").replace("Ł", "L")
                .replace("đ", "d").replace("Đ", "D").replace("ß", "ss").replace("æ", "ae").replace("Æ", "AE")
                .replace("ı", "i").replace("œ", "oe").replace("Œ", "OE");
    }
}
