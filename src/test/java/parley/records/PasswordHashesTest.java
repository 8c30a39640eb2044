package parley.records;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHashesTest {

    @Test
    void aHashMatchesItsPasswordOnlyAndTwoHashesOfOnePasswordDiffer() {
        String hash = PasswordHashes.hash("jane s3cret");
        assertThat(hash).startsWith("pbkdf2-sha256$" + PasswordHashes.ITERATIONS + "$");
        assertThat(PasswordHashes.wellFormed(hash)).isTrue();
        assertThat(PasswordHashes.matches("jane s3cret", hash)).isTrue();
        assertThat(PasswordHashes.matches("jane s3cret ", hash)).isFalse();
        assertThat(PasswordHashes.hash("jane s3cret")).as("salted").isNotEqualTo(hash);
    }

    @Test
    void aValueNotInTheFormatIsNeverAMatch() {
        assertThat(PasswordHashes.wellFormed("jane s3cret")).isFalse();
        assertThat(PasswordHashes.matches("jane s3cret", "jane s3cret")).isFalse();
        assertThat(PasswordHashes.matches("x", "pbkdf2-sha256$abc$$")).isFalse();
        assertThat(PasswordHashes.matches("x", "md5$1$YQ==$YQ==")).isFalse();
    }
}
