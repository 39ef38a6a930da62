<?xml version="1.0" encoding="UTF-8"?>
<!--
  The physical page: where pages, columns and lines break, and what is printed around the text (running
  heads, page numbers, classification lines, the printed form). Page breaks are shown, not hidden: the
  edition is cited by page as much as by paragraph.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="tei">

  <!-- Inline so it may stand inside a paragraph that runs across pages; the diplomatic view's stylesheet sets
       it on a line of its own, the reading view shows it as a small "[p. 2]" in the running text. Its id is derived from the page number (not from an xml:id) so that links to a page have one
       predictable form; a page number that recurs gets a suffix to keep ids unique. An xml:id the encoding
       gives the page break (FRUS: "pg_148", which a volume's index points to) is kept on an anchor inside. -->
  <xsl:template match="tei:pb">
    <xsl:variable name="n">
      <xsl:value-of select="normalize-space(@n)"/>
      <xsl:if test="not(normalize-space(@n))">
        <xsl:number level="any" count="tei:pb" from="tei:TEI/tei:text"/>
      </xsl:if>
    </xsl:variable>
    <xsl:variable name="earlier" select="count(preceding::tei:pb[normalize-space(@n) = string($n)])"/>
    <xsl:variable name="id">
      <xsl:value-of select="concat($document-id, '-page-', translate($n, ' ', '-'))"/>
      <xsl:if test="$earlier &gt; 0"><xsl:value-of select="concat('-', $earlier + 1)"/></xsl:if>
    </xsl:variable>
    <xsl:call-template name="make-placeholder">
      <xsl:with-param name="class">
        <xsl:text>pb</xsl:text>
        <xsl:if test="$view = 'reading'"> pb-reading</xsl:if>
      </xsl:with-param>
      <xsl:with-param name="attributes">
        <x id="{$id}" role="note" aria-label="Page {$n}" data-facs="{@facs}"/>
      </xsl:with-param>
      <xsl:with-param name="text">
        <xsl:choose>
          <xsl:when test="$view = 'reading'"><xsl:value-of select="concat('p. ', $n)"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="concat('Page ', $n)"/></xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
      <xsl:with-param name="content">
        <xsl:call-template name="make-anchor"/>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:cb">
    <xsl:call-template name="make-placeholder">
      <xsl:with-param name="class" select="'cb'"/>
      <xsl:with-param name="text" select="normalize-space(concat('Column ', @n))"/>
    </xsl:call-template>
  </xsl:template>

  <!-- The diplomatic view breaks the line where the paper does. The reading view runs the lines on (a word
       broken across lines, break="no", is joined again), except where the lines are the layout: a letter's
       opener and closer, an address, a block of a form, forme work, a stamp, a table cell. -->
  <xsl:template match="tei:lb">
    <xsl:choose>
      <xsl:when test="$view != 'reading'
                      or ancestor::tei:opener or ancestor::tei:closer or ancestor::tei:address
                      or ancestor::tei:ab or ancestor::tei:fw or ancestor::tei:stamp or ancestor::tei:cell">
        <xsl:call-template name="make-break">
          <xsl:with-param name="class" select="'lb'"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="make-anchor"/>
        <xsl:if test="not(@break = 'no')">
          <xsl:text> </xsl:text>
        </xsl:if>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Sighted readers know a running head or a page number by where it stands on the page; the hidden
       label says it to everyone else. The reading view sets the page's furniture aside (classed "marginal",
       which the stylesheet moves to the margin) but keeps a printed form's own words in the text: on a form
       they are the questions its filled-in answers and ticked boxes reply to. -->
  <xsl:template match="tei:fw">
    <xsl:call-template name="make-inline">
      <xsl:with-param name="class">
        <xsl:call-template name="modifier-classes">
          <xsl:with-param name="base" select="'fw'"/>
          <xsl:with-param name="tokens" select="@type"/>
        </xsl:call-template>
        <xsl:if test="$view = 'reading' and not(@type = 'form')"> marginal</xsl:if>
      </xsl:with-param>
      <xsl:with-param name="before">
        <xsl:call-template name="make-hidden-label">
          <xsl:with-param name="text">
            <xsl:choose>
              <xsl:when test="@type = 'head' or @type = 'header'">Running head: </xsl:when>
              <xsl:when test="@type = 'pageNum'">Page number: </xsl:when>
              <xsl:when test="@type = 'classification'">Classification marking: </xsl:when>
              <xsl:when test="@type = 'letterhead'">Letterhead: </xsl:when>
              <xsl:when test="@type = 'form'">Printed form: </xsl:when>
              <xsl:when test="@type = 'catch'">Catchword: </xsl:when>
              <xsl:when test="@type = 'sig'">Signature mark: </xsl:when>
              <xsl:otherwise>Printed marking: </xsl:otherwise>
            </xsl:choose>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

</xsl:stylesheet>
