package io.argus.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class ProcessMemoryTest {

    /** The lines around the two figures, as Linux 5.x and 6.x write them. */
    private static final String STATUS = """
            Name:	java
            Umask:	0022
            State:	S (sleeping)
            Pid:	4242
            VmPeak:	 9123456 kB
            VmSize:	 9001234 kB
            VmLck:	       0 kB
            VmPin:	       0 kB
            VmHWM:	 1536000 kB
            VmRSS:	  812344 kB
            RssAnon:	  700000 kB
            RssFile:	  112344 kB
            RssShmem:	       0 kB
            VmSwap:	       0 kB
            Threads:	57
            """;

    @Test
    void residentNowIsVmRssAndThePeakIsVmHwmInBytes() {
        ProcessMemory m = ProcessMemory.parse(STATUS).orElseThrow();

        assertThat(m.rssBytes()).isEqualTo(812_344L * 1024);
        assertThat(m.peakRssBytes()).as("VmHWM, not VmPeak (virtual) or VmRSS").isEqualTo(1_536_000L * 1024);
        assertThat(ProcessMemory.mib(m.peakRssBytes())).isEqualTo("1500");
    }

    @Test
    void aProcessWithoutMemoryFiguresHasNone() {
        // Kernel threads and zombies have no Vm* lines.
        assertThat(ProcessMemory.parse("Name:\tkthreadd\nState:\tS (sleeping)\n")).isEmpty();
        assertThat(ProcessMemory.parse("VmRSS:\t100 kB\n")).isEmpty();
    }

    @Test
    void aFigureInAnotherUnitIsAnErrorNotAWrongNumber() {
        assertThatThrownBy(() -> ProcessMemory.parse("VmHWM:\t 2 MB\nVmRSS:\t1024 kB\n"))
                .hasMessageContaining("VmHWM");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aLiveProcessHasAPeakAtLeastItsResidentMemory() {
        ProcessMemory self = ProcessMemory.of(ProcessHandle.current().pid()).orElseThrow();

        assertThat(self.rssBytes()).isGreaterThan(10L << 20);
        assertThat(self.peakRssBytes()).isGreaterThanOrEqualTo(self.rssBytes());
        assertThat(ProcessMemory.of(Long.MAX_VALUE)).as("no such process").isEmpty();
    }
}
