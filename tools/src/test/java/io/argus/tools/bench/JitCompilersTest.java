package io.argus.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class JitCompilersTest {

    /** A real line of /proc/<pid>/task/<tid>/stat, with utime 1234 and stime 56. */
    private static final String STAT = "4711 (C2 CompilerThre) S 1 4700 4700 0 -1 1077936192 520 0 0 0 1234 56 0 0 "
            + "20 0 31 0 123456 4000000000 50000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 -1 1 0 0 0 0 0";

    @Test
    void aCompilerThreadCountsItsUserAndSystemTicks() {
        assertThat(JitCompilers.ticks("C2 CompilerThre", STAT)).isEqualTo(1290);
        assertThat(JitCompilers.ticks("C1 CompilerThre", STAT.replace("C2", "C1"))).isEqualTo(1290);
    }

    @Test
    void otherThreadsCountNothing() {
        assertThat(JitCompilers.ticks("argus-classific", STAT.replace("C2 CompilerThre", "argus-classific")))
                .isZero();
        assertThat(JitCompilers.ticks("GC Thread#0", STAT)).isZero();
    }

    @Test
    void aNameWithBracketsAndSpacesDoesNotShiftTheFields() {
        String odd = STAT.replace("(C2 CompilerThre)", "(C2 CompilerThre) (x)");

        assertThat(JitCompilers.ticks("C2 CompilerThre", odd)).isEqualTo(1290);
    }

    @Test
    void aThreadThatEndedBeforeItWasReadCountsNothing() {
        assertThat(JitCompilers.ticks("C2 CompilerThre", "")).isZero();
    }

    @Test
    void thisJvmsCompilersHaveWorked() throws Exception {
        // On Linux; a JVM that has run this far has compiled something.
        assertThat(JitCompilers.ownCpuTime()).hasValueSatisfying(d -> assertThat(d).isGreaterThan(Duration.ZERO));
    }
}
