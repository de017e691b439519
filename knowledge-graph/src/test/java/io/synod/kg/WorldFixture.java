// A small graph in the world vocabulary, written by the tests into a temporary directory.
package io.synod.kg;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Turtle, N-Triples and TSV fixtures: a few countries and cities with accented labels, aliases and relation metadata. */
final class WorldFixture {

    static final String W = "http://synod.io/world/";
    static final String TOGO = W + "country/TGO";
    static final String GHANA = W + "country/GHA";
    static final String IVORY_COAST = W + "country/CIV";
    static final String FRANCE = W + "country/FRA";
    static final String USA = W + "country/USA";
    static final String CHINA = W + "country/CHN";
    static final String LOME = W + "city/2365267";
    static final String LOME_VILLAGE = W + "city/9000001";
    static final String ACCRA = W + "city/2306104";
    static final String PARIS = W + "city/2988507";
    static final String PARIS_TEXAS = W + "city/4717560";
    static final String NEW_YORK_CITY = W + "city/5128581";
    static final String YORK = W + "city/4562407";
    static final String YAMOUSSOUKRO = W + "city/2279755";
    static final String XOF = W + "currency/XOF";
    static final String CHINA_PORCELAIN = W + "synset/03020034-n";

    static final String TURTLE = """
            @prefix w:    <http://synod.io/world/> .
            @prefix rel:  <http://synod.io/world/rel/> .
            @prefix cls:  <http://synod.io/world/class/> .
            @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
            @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
            @prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .

            rel:capital rdfs:label "capital" ; rdfs:comment "capital: the capital city of a country (country -> city)" .
            rel:currency rdfs:label "currency" ; rdfs:comment "currency: a currency used in a country (country -> currency)" .
            rel:borders rdfs:label "borders" ; rdfs:comment "borders: a country that shares a land border with this country (country -> country)" .
            rel:country rdfs:label "country" ; rdfs:comment "country: the country a city is in (city -> country)" .
            rel:population rdfs:label "population" .
            cls:Country rdfs:label "Country" .
            cls:City rdfs:label "City" .
            cls:Currency rdfs:label "Currency" .
            cls:Synset rdfs:label "Synset" .

            <http://synod.io/world/country/TGO> a cls:Country ; rdfs:label "Togo" ; skos:altLabel "Togolese Republic" ;
                rel:capital <http://synod.io/world/city/2365267> ; rel:currency <http://synod.io/world/currency/XOF> ;
                rel:borders <http://synod.io/world/country/GHA> .
            <http://synod.io/world/country/GHA> a cls:Country ; rdfs:label "Ghana" ;
                rel:capital <http://synod.io/world/city/2306104> ; rel:borders <http://synod.io/world/country/TGO> ,
                <http://synod.io/world/country/CIV> .
            <http://synod.io/world/country/CIV> a cls:Country ; rdfs:label "Côte d'Ivoire" ; skos:altLabel "Ivory Coast" ;
                rel:capital <http://synod.io/world/city/2279755> ; rel:currency <http://synod.io/world/currency/XOF> ;
                rel:borders <http://synod.io/world/country/GHA> .
            <http://synod.io/world/country/FRA> a cls:Country ; rdfs:label "France" ;
                rel:capital <http://synod.io/world/city/2988507> .
            <http://synod.io/world/country/USA> a cls:Country ; rdfs:label "United States" ; skos:altLabel "USA" .
            <http://synod.io/world/country/CHN> a cls:Country ; rdfs:label "China" .
            <http://synod.io/world/currency/XOF> a cls:Currency ; rdfs:label "West African CFA franc" .

            <http://synod.io/world/city/2365267> a cls:City ; rdfs:label "Lomé" ;
                rel:country <http://synod.io/world/country/TGO> ; rel:population 837437 .
            <http://synod.io/world/city/9000001> a cls:City ; rdfs:label "Lomé" ;
                rel:country <http://synod.io/world/country/FRA> ; rel:population 1200 .
            <http://synod.io/world/city/2306104> a cls:City ; rdfs:label "Accra" ;
                rel:country <http://synod.io/world/country/GHA> ; rel:population 1963264 .
            <http://synod.io/world/city/2279755> a cls:City ; rdfs:label "Yamoussoukro" ;
                rel:country <http://synod.io/world/country/CIV> ; rel:population 194530 .
            <http://synod.io/world/city/2988507> a cls:City ; rdfs:label "Paris" ;
                rel:country <http://synod.io/world/country/FRA> ; rel:population 2138551 .
            <http://synod.io/world/city/4717560> a cls:City ; rdfs:label "Paris" ;
                rel:country <http://synod.io/world/country/USA> ; rel:population 24782 .
            <http://synod.io/world/city/5128581> a cls:City ; rdfs:label "New York City" ; skos:altLabel "NYC" ;
                rel:country <http://synod.io/world/country/USA> ; rel:population 8804190 .
            <http://synod.io/world/city/4562407> a cls:City ; rdfs:label "York" ;
                rel:country <http://synod.io/world/country/USA> ; rel:population 44800 .
            <http://synod.io/world/city/1816670> a cls:City ; rdfs:label "Beijing" ;
                rel:country <http://synod.io/world/country/CHN> ; rel:population 18960744 .
            <http://synod.io/world/city/1796236> a cls:City ; rdfs:label "Shanghai" ;
                rel:country <http://synod.io/world/country/CHN> ; rel:population 22315474 .
            <http://synod.io/world/synset/03020034-n> a cls:Synset ; rdfs:label "china" ; skos:altLabel "porcelain" ;
                rel:gloss "high quality ceramic ware made of kaolin" .
            """;

    private WorldFixture() {
    }

    static Path write(Path directory, String fileName, String content) throws IOException {
        Path file = directory.resolve(fileName);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    static Path writeGzipped(Path directory, String fileName, String content) throws IOException {
        Path file = directory.resolve(fileName);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    static Path turtle(Path directory) throws IOException {
        return write(directory, "world.ttl", TURTLE);
    }

    /** The in-memory graph of {@link #TURTLE}. */
    static KnowledgeGraph load(Path directory) throws IOException {
        return KnowledgeGraph.builder().addSource(turtle(directory)).build();
    }
}
