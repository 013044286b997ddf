/* transforms.c: the transforms the sanitizing writer is given in a book:
 * images and media (media.c), embeds (embed.c), link notes (linknotes.c). */
#include "embed.h"
#include "linknotes.h"
#include "media.h"

const bb_xhtml_transforms bb_xhtml_std_transforms = {
	bb_media_img,
	bb_embed_script,
	bb_embed_frame,
	bb_media_embed,
	bb_link_note_add,
	bb_link_note_ref,
};
