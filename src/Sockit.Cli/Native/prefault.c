/*
 * Linked into the native (Native AOT) sockit on Linux only; see Sockit.Cli.csproj.
 *
 * Before main, the .NET runtime of a Native AOT program "rehydrates" its type data: it writes about 3.6 MiB into
 * the program's zero-filled .hydrated section. Touched one page at a time, that is ~900 page faults, and on this
 * kind of virtual machine each fault is an expensive trip through the hypervisor: a fifth of `sockit ip aton`'s
 * start-up (docs/performance.md, "Start-up"). One madvise(MADV_POPULATE_WRITE) (Linux 5.14) over the writable
 * segment's zero-filled tail makes those pages present in one call instead. On an older kernel the call fails
 * with EINVAL and start-up is simply what it was.
 */
#define _GNU_SOURCE
#include <link.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* Called for the executable first: populate the zero-filled part (.bss, .hydrated) of each writable segment. */
static int populate_zero_filled(struct dl_phdr_info *info, size_t size, void *unused)
{
    (void)size;
    (void)unused;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *segment = &info->dlpi_phdr[i];
        if (segment->p_type != PT_LOAD || !(segment->p_flags & PF_W) || segment->p_memsz <= segment->p_filesz) {
            continue;
        }

        uintptr_t from = info->dlpi_addr + segment->p_vaddr + segment->p_filesz;
        uintptr_t to = info->dlpi_addr + segment->p_vaddr + segment->p_memsz;
        from = (from + page - 1) & ~(page - 1); /* the partly file-backed page is left to the kernel */
        to = (to + page - 1) & ~(page - 1);
        if (to > from) {
            madvise((void *)from, to - from, MADV_POPULATE_WRITE);
        }
    }

    return 1; /* the executable only, not the shared libraries after it */
}

__attribute__((constructor)) static void sockit_prefault(void)
{
    dl_iterate_phdr(populate_zero_filled, 0);
}
