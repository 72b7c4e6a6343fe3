package org.jamescrm.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jamescrm.model.EmailAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The round-robin turn of one server, kept in a file across restarts of James. */
class FileRoundRobinPositionsTest {
    private static final EmailAddress SALES = EmailAddress.of("sales@company.example");
    private static final EmailAddress SUPPORT = EmailAddress.of("support@company.example");

    @TempDir
    Path folder;

    @Test
    void withoutAFileEveryTurnShouldStartAtZero() {
        FileRoundRobinPositions positions = new FileRoundRobinPositions(folder.resolve("round-robin.properties"));

        assertThat(positions.current(SALES)).isZero();
        assertThat(Files.exists(folder.resolve("round-robin.properties"))).isFalse();
    }

    @Test
    void aTurnTakenShouldBeAnsweredAtOnceAndSurviveARestart() {
        Path file = folder.resolve("round-robin.properties");
        FileRoundRobinPositions positions = new FileRoundRobinPositions(file);
        positions.current(SALES);

        assertThat(positions.advance(SALES, 0)).isTrue();
        assertThat(positions.advance(SALES, 1)).isTrue();
        assertThat(positions.advance(SUPPORT, 0)).isTrue();

        assertThat(positions.current(SALES)).isEqualTo(2);
        FileRoundRobinPositions restarted = new FileRoundRobinPositions(file);
        assertThat(restarted.current(SALES)).isEqualTo(2);
        assertThat(restarted.current(SUPPORT)).isEqualTo(1);
    }

    @Test
    void aTurnFromAPositionAlreadyPassedShouldBeRefused() {
        FileRoundRobinPositions positions = new FileRoundRobinPositions(folder.resolve("round-robin.properties"));
        positions.advance(SALES, 0);

        assertThat(positions.advance(SALES, 0)).isFalse();
        assertThat(positions.current(SALES)).isEqualTo(1);
    }

    @Test
    void aTurnTheFileCouldNotKeepShouldNotBeTaken() throws Exception {
        Path notAFolder = Files.writeString(folder.resolve("blocker"), "a file where the folder should be");
        FileRoundRobinPositions positions = new FileRoundRobinPositions(notAFolder.resolve("round-robin.properties"));

        assertThatThrownBy(() -> positions.advance(SALES, 0)).isInstanceOf(UncheckedIOException.class)
            .hasMessageContaining("round-robin.properties");
        assertThat(positions.current(SALES)).isZero();
    }
}
