// The folding shared by labels and queries.
package io.synod.kg.linking;

import static org.assertj.core.api.Assertions.assertThat;

import io.synod.kg.linking.TextNormalizer.Token;
import java.text.Normalizer;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextNormalizerTest {

    @Test
    void foldsCaseAccentsApostrophesAndHyphens() {
        assertThat(TextNormalizer.normalize("Côte d’Ivoire")).isEqualTo("cote d ivoire");
        assertThat(TextNormalizer.normalize("COTE D'IVOIRE")).isEqualTo("cote d ivoire");
        assertThat(TextNormalizer.normalize("Guinea-Bissau")).isEqualTo("guinea bissau");
        assertThat(TextNormalizer.normalize("  São   Tomé, and Príncipe! ")).isEqualTo("sao tome and principe");
    }

    @Test
    void spellsOutLettersThatDoNotDecompose() {
        assertThat(TextNormalizer.normalize("Łódź")).isEqualTo("lodz");
        assertThat(TextNormalizer.normalize("Tórshavn Ærø Straße")).isEqualTo("torshavn aero strasse");
    }

    @Test
    void treatsDecomposedAndPrecomposedTextAlike() {
        String decomposed = Normalizer.normalize("Lomé", Normalizer.Form.NFD);

        assertThat(TextNormalizer.normalize(decomposed)).isEqualTo("lome");
        assertThat(TextNormalizer.tokens(decomposed)).containsExactly(new Token("lome", 0, decomposed.length()));
    }

    @Test
    void tokensKeepTheirOffsetsInTheOriginalText() {
        String text = "Is Lomé in Côte d’Ivoire?";

        List<Token> tokens = TextNormalizer.tokens(text);

        assertThat(tokens).extracting(Token::text).containsExactly("is", "lome", "in", "cote", "d", "ivoire");
        assertThat(tokens).allSatisfy(token -> assertThat(TextNormalizer.normalize(text.substring(token.start(), token.end())))
                .isEqualTo(token.text()));
    }

    @Test
    void keepsLettersOfOtherScripts() {
        assertThat(TextNormalizer.normalize("Москва 北京")).isEqualTo("москва 北京");
    }

    @Test
    void textWithoutLettersOrDigitsIsEmpty() {
        assertThat(TextNormalizer.normalize(" -'’. ")).isEmpty();
    }
}
