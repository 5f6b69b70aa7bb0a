"""StreamField blocks for free-form KB content: approach, steps, results and downloads."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "link", "ol", "ul", "blockquote"]


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250, help_text=_("Describe the image for people who cannot see it.")
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "kb/blocks/figure.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "kb/blocks/quote.html"


class ProseStreamBlock(blocks.StreamBlock):
    """Free-form narrative: rich text, sub-headings, quotes and figures."""

    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)
    heading = blocks.CharBlock(
        max_length=120, form_classname="title", template="kb/blocks/heading.html"
    )
    quote = QuoteBlock()
    figure = FigureBlock()


class StepBlock(blocks.StructBlock):
    """One step of a method guide."""

    title = blocks.CharBlock(max_length=160)
    body = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)
    duration = blocks.CharBlock(required=False, max_length=80, help_text=_("e.g. 2 weeks"))

    class Meta:
        icon = "list-ol"
        template = "kb/blocks/step.html"


class StepsStreamBlock(blocks.StreamBlock):
    step = StepBlock()
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)


class IndicatorBlock(blocks.StructBlock):
    """A measurable result: the indicator's value before and after the work."""

    indicator = blocks.CharBlock(max_length=160, help_text=_("e.g. Customer satisfaction (CSAT)"))
    before = blocks.CharBlock(max_length=60, required=False)
    after = blocks.CharBlock(max_length=60)
    unit = blocks.CharBlock(max_length=40, required=False, help_text=_("e.g. %, litres/person/day"))
    note = blocks.CharBlock(max_length=250, required=False, help_text=_("Source or period"))

    class Meta:
        icon = "table"


class ResultsStreamBlock(blocks.StreamBlock):
    indicator = IndicatorBlock()


class ResourceBlock(blocks.StructBlock):
    """A downloadable resource or template."""

    document = DocumentChooserBlock()
    description = blocks.CharBlock(max_length=250, required=False)

    class Meta:
        icon = "doc-full"


class ResourcesStreamBlock(blocks.StreamBlock):
    resource = ResourceBlock()
