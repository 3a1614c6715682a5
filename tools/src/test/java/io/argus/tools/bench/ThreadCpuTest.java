package io.argus.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A thread's kind, from the 15 characters of its name the kernel keeps. */
class ThreadCpuTest {

    @Test
    void threadsAreSortedByTheirNames() {
        assertThat(ThreadCpu.kindOf("C2 CompilerThre")).isEqualTo(ThreadCpu.Kind.COMPILERS);
        assertThat(ThreadCpu.kindOf("C1 CompilerThre")).isEqualTo(ThreadCpu.Kind.COMPILERS);
        assertThat(ThreadCpu.kindOf("GC Thread#1")).isEqualTo(ThreadCpu.Kind.COLLECTOR);
        assertThat(ThreadCpu.kindOf("G1 Conc#0")).isEqualTo(ThreadCpu.Kind.COLLECTOR);
        assertThat(ThreadCpu.kindOf("VM Thread")).isEqualTo(ThreadCpu.Kind.COLLECTOR);
        assertThat(ThreadCpu.kindOf("argus-decode")).isEqualTo(ThreadCpu.Kind.DECODE);
        assertThat(ThreadCpu.kindOf("kafka-producer-")).isEqualTo(ThreadCpu.Kind.KAFKA);
        assertThat(ThreadCpu.kindOf("argus-commit")).isEqualTo(ThreadCpu.Kind.KAFKA);
    }

    @Test
    void theClassificationThreadAndOnnxRuntimesThreadsAreTheRest() {
        assertThat(ThreadCpu.kindOf("argus-classific")).isEqualTo(ThreadCpu.Kind.OTHER);
        // ONNX Runtime's workers take the name of the thread that made the session.
        assertThat(ThreadCpu.kindOf("argus-inference")).isEqualTo(ThreadCpu.Kind.OTHER);
    }
}
