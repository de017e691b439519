// Tests the WordNet data line parser on real lines of WordNet 3.1 data.noun.
package io.synod.kg.world;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WordNetParserTest {

    private static final String DELIVERY = "00043279 04 n 02 delivery 2 obstetrical_delivery 0 007 @ 00030657 n 0000 "
            + "#p 13469507 n 0000 + 00056644 v 0102 ~ 00186287 n 0000 ~ 00186627 n 0000 ~ 00187100 n 0000 "
            + "~ 00187398 n 0000 | the act of delivering a child  ";
    private static final String TOGO = "08777819 15 n 02 Togo 0 Togolese_Republic 0 005 @i 08716193 n 0000 "
            + "#p 09212308 n 0000 %p 08778061 n 0000 %m 09724683 n 0000 %m 09753967 n 0000 | a republic on the "
            + "western coast of Africa on the Gulf of Guinea; formerly under French control  ";

    @Test
    void readsLemmasPointersAndGlossOfASynsetLine() {
        WordNetSynset delivery = WordNetParser.parseLine(DELIVERY).orElseThrow();

        assertThat(delivery.offset()).isEqualTo("00043279");
        assertThat(delivery.partOfSpeech()).isEqualTo('n');
        assertThat(delivery.lemmas()).containsExactly("delivery", "obstetrical delivery");
        assertThat(delivery.pointers()).hasSize(7);
        assertThat(delivery.pointers().get(0)).isEqualTo(new WordNetSynset.Pointer("@", "00030657", 'n', "0000"));
        assertThat(delivery.pointers().get(1).symbol()).isEqualTo("#p");
        assertThat(delivery.gloss()).isEqualTo("the act of delivering a child");
    }

    @Test
    void tellsLexicalPointersFromSemanticOnes() {
        WordNetSynset.Pointer derivation = WordNetParser.parseLine(DELIVERY).orElseThrow().pointers().get(2);

        assertThat(derivation).isEqualTo(new WordNetSynset.Pointer("+", "00056644", 'v', "0102"));
        assertThat(derivation.isSemantic()).isFalse();
    }

    @Test
    void readsInstanceHypernymsAndGlossesWithSemicolons() {
        WordNetSynset togo = WordNetParser.parseLine(TOGO).orElseThrow();

        assertThat(togo.lemmas()).containsExactly("Togo", "Togolese Republic");
        assertThat(togo.pointers().get(0)).isEqualTo(new WordNetSynset.Pointer("@i", "08716193", 'n', "0000"));
        assertThat(togo.gloss()).endsWith("on the Gulf of Guinea; formerly under French control");
    }

    @Test
    void skipsTheLicenceHeader() {
        assertThat(WordNetParser.parseLine("  1 This software and database is being provided to you, the LICENSEE, by  "))
                .isEmpty();
    }

    @Test
    void dropsAdjectiveMarkersFromLemmas() {
        assertThat(WordNetParser.cleanLemma("galore(ip)")).isEqualTo("galore");
        assertThat(WordNetParser.cleanLemma("kind_of_thing")).isEqualTo("kind of thing");
    }
}
