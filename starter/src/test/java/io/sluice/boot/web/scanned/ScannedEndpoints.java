package io.sluice.boot.web.scanned;

import io.sluice.boot.web.annotation.Get;
import io.sluice.boot.web.annotation.SluiceController;

/** Found by component scanning, its prefix given as the annotation's value. */
@SluiceController("/scanned")
public class ScannedEndpoints {

    @Get
    public String root() {
        return "scanned";
    }
}
